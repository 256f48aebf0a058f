/**
 * A small load driver for the fake Bot API: simulated users send questions
 * (fast in real time, with message dates at their own human pace), then every
 * question's replies are collected and classified.
 */
import type { Update } from 'grammy/types';
import type { FakeBotApi, RecordedCall } from './fake-bot-api/index.js';

export interface LoadPlan {
  users: number;
  questionsPerUser: number;
  /** Questions asked in turn. */
  questions: readonly string[];
  /** Id of the first simulated user (a private chat each); the others follow. */
  firstUserId: number;
  /** Seconds between one user's messages, as their message dates show. */
  paceSeconds: number;
  /** Real milliseconds between two sends (of any user). */
  sendEveryMs: number;
  languageCode?: string;
}

export interface SentQuestion {
  update: Update;
  sentAt: number;
}

export interface LoadReport {
  sent: number;
  answered: number;
  refused: number;
  lost: number;
  /** Replies beyond the first to the same question. */
  duplicates: number;
  /** Milliseconds from sending a question to its first reply. */
  p50: number;
  p95: number;
  /** When the last first reply came (epoch ms). */
  lastReplyAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Round by round, each user sends their next question. */
export async function sendLoad(fake: FakeBotApi, plan: LoadPlan): Promise<SentQuestion[]> {
  const sent: SentQuestion[] = [];
  const start = Math.floor(Date.now() / 1000);
  for (let round = 0; round < plan.questionsPerUser; round++) {
    for (let user = 0; user < plan.users; user++) {
      const text = plan.questions[(round * plan.users + user) % plan.questions.length]!;
      const update = fake.sendText(text, {
        chatId: plan.firstUserId + user,
        languageCode: plan.languageCode ?? 'zh',
        date: start + Math.round(round * plan.paceSeconds),
      });
      sent.push({ update, sentAt: Date.now() });
      if (plan.sendEveryMs > 0) await sleep(plan.sendEveryMs);
    }
  }
  return sent;
}

const replyKey = (chatId: unknown, messageId: number) => `${String(chatId)}:${messageId}`;

/** The sendMessage calls that reply to `question`, in the order they were made. */
export function repliesTo(fake: FakeBotApi, question: Update): RecordedCall[] {
  const message = question.message!;
  return fake.calls.filter(
    (c) => c.method === 'sendMessage' && c.params['chat_id'] === message.chat.id
      && (c.params['reply_parameters'] as { message_id?: number } | undefined)?.message_id === message.message_id,
  );
}

/**
 * Waits until every question has a reply (or `timeoutMs`), then a little
 * longer for late duplicates, and counts. `isRefusal` tells a "not taken"
 * notice from an answer.
 */
export async function collectReplies(
  fake: FakeBotApi,
  sent: SentQuestion[],
  isRefusal: (text: string) => boolean,
  timeoutMs: number,
  settleMs = 500,
): Promise<LoadReport> {
  const deadline = Date.now() + timeoutMs;
  // Checked incrementally: scanning every call for every question would keep this process (and the fake in it) busy.
  const waiting = new Set(sent.map((q) => replyKey(q.update.message!.chat.id, q.update.message!.message_id)));
  let seen = 0;
  while (Date.now() < deadline && waiting.size > 0) {
    for (const call of fake.calls.slice(seen)) {
      const replyTo = (call.params['reply_parameters'] as { message_id?: number } | undefined)?.message_id;
      if (call.method === 'sendMessage' && replyTo !== undefined) waiting.delete(replyKey(call.params['chat_id'], replyTo));
    }
    seen = fake.calls.length;
    if (waiting.size > 0) await sleep(20);
  }
  await sleep(settleMs);
  const latencies: number[] = [];
  let lastReplyAt = 0;
  const report = { sent: sent.length, answered: 0, refused: 0, lost: 0, duplicates: 0 };
  for (const question of sent) {
    const replies = repliesTo(fake, question.update);
    if (replies.length === 0) {
      report.lost++;
      continue;
    }
    report.duplicates += replies.length - 1;
    if (isRefusal(String(replies[0]!.params['text']))) report.refused++;
    else report.answered++;
    latencies.push(replies[0]!.at - question.sentAt);
    lastReplyAt = Math.max(lastReplyAt, replies[0]!.at);
  }
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  return { ...report, p50: percentile(50), p95: percentile(95), lastReplyAt };
}
