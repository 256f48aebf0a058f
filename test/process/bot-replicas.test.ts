/**
 * Replicas: two bot processes in webhook mode over one PostgreSQL database
 * (PGlite behind its socket server), as behind a load balancer. Either one
 * answers any update, including a button pressed on the other's answer, and
 * each sees the reader feedback the other stored; one rebuild is picked up by
 * both without a restart; one killed with SIGKILL mid-answer leaves the
 * updates it had taken to the other (the shared inbox, bot/inbox/).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Message, Update } from 'grammy/types';
import { buildIndex } from '../../retrieval/api.js';
import { feedbackCommand } from '../../scripts/feedback.js';
import type { RetrievalConfig } from '../../retrieval/config.js';
import { startScript, type StartedProcess } from '../support/bot-process.js';
import { DEFAULT_TOKEN, FakeBotApi, parseTelegramHtml, type RecordedCall } from '../support/fake-bot-api/index.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { fixtureCorpus, tempDir, testConfig } from '../support/temp.js';
import { freePort } from '../support/free-port.js';
import { collectReplies, repliesTo, sendLoad } from '../support/load.js';
import { waitUntil } from '../support/wait.js';

const USER = { chatId: 4001, languageCode: 'zh' };
const NEW_FACT = '地下综合管廊的巡检机器人已覆盖全部十二公里廊道。';


interface Replica {
  process: StartedProcess;
  port: number;
  secret: string;
}

describe('two bot replicas over one PostgreSQL database', () => {
  let server: PostgresServer;
  let fake: FakeBotApi;
  let config: RetrievalConfig;
  const replicas: Replica[] = [];

  /** Posts `update` to one replica's webhook as Telegram would; resolves with the bot's first call matching `until` after it. */
  async function post(replica: Replica, update: Update, until: (call: RecordedCall) => boolean): Promise<RecordedCall> {
    const since = fake.calls.length;
    const response = await fetch(`http://127.0.0.1:${replica.port}/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': replica.secret },
      body: JSON.stringify(update),
    });
    assert.equal(response.status, 200);
    return fake.waitForCall(until, { since, timeoutMs: 15_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\nafter update ${update.update_id}; the replicas' logs:\n${replicas.map((r) => r.process.stderr()).join('\n---\n')}`);
    });
  }

  /** Delivers `update` to one replica, and returns the next message the bot sends to the user. */
  async function deliver(replica: Replica, update: Update): Promise<Message> {
    await post(replica, update, (c) => c.method === 'sendMessage' && c.params['chat_id'] === USER.chatId);
    return fake.lastSentMessage(USER.chatId)!;
  }

  before(async () => {
    server = await startPostgres();
    config = testConfig({ CORPUS_DIR: fixtureCorpus(['water-corpus']), INDEX_DIR: tempDir('index'), DATABASE_URL: server.url, EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    fake = await FakeBotApi.start();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const since = fake.calls.length;
      const process = startScript({
        TELEGRAM_BOT_TOKEN: DEFAULT_TOKEN,
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATABASE_URL: server.url,
        // Each replica has its own INDEX_DIR (only the embedding cache lives there) and corpus copy.
        INDEX_DIR: tempDir('replica-index'),
        CORPUS_DIR: fixtureCorpus(['water-corpus']),
        MODELS_DIR: config.MODELS_DIR,
        ALLOW_REMOTE_MODELS: 'false',
        EMBEDDING_MODEL: 'none/none',
        WEBHOOK_URL: 'https://bot.example.org/hook',
        PORT: String(port),
        // Short, so that the test waits little for the claims of the replica it kills to run out.
        INBOX_LEASE_SECONDS: '3',
      });
      const call = await fake.waitForCall((c) => c.method === 'setWebhook', { since, timeoutMs: 60_000 }).catch((error: Error) => {
        throw new Error(`${error.message}\nreplica ${i} stderr:\n${process.stderr()}`);
      });
      // The webhook is registered before the replica serves (till then it answers 503 and Telegram sends again).
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200, `replica ${i} to serve`, 60_000);
      replicas.push({ process, port, secret: String(call.params['secret_token']) });
    }
  });

  after(async () => {
    for (const replica of replicas) await replica.process.stop('SIGKILL');
    await fake?.close();
    await server?.stop();
  });

  it('register one webhook with one secret, derived from the token', () => {
    const [a, b] = replicas as [Replica, Replica];
    assert.ok(a.secret.length >= 32);
    assert.equal(b.secret, a.secret);
  });

  it('answer on either replica, and one resolves a button pressed on the other one\'s answer', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const answer = await deliver(a, fake.sendText('城区自来水普及率达到多少', USER));
    assert.match(parseTelegramHtml(answer.text ?? '').text || answer.text!, /百分之九十八/);
    const context = (answer.reply_markup?.inline_keyboard ?? []).flat().find((button) => 'callback_data' in button && button.callback_data.startsWith('ctx:'));
    assert.ok(context && 'callback_data' in context, 'the answer has a context button');
    const shown = await deliver(b, fake.pressButton(answer, context.callback_data, { userId: USER.chatId, languageCode: 'zh' }));
    assert.match(shown.text!, /^上下文/);
    assert.equal(shown.reply_to_message?.message_id, answer.message_id);
    fake.expectNoRejections();
  });

  it('share reader feedback: a vote changed and a speaker named on the other replica, counted in /metrics and npm run feedback', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const presser = { userId: USER.chatId, languageCode: 'zh' };
    /** Delivers a button press to one replica and returns the text of its answer to the press. */
    const press = async (replica: Replica, update: Update) => {
      const answered = await post(replica, update, (c) => c.method === 'answerCallbackQuery' && c.params['callback_query_id'] === update.callback_query!.id);
      return String(answered.params['text']);
    };
    const dataOf = (message: Message, prefix: string) =>
      (message.reply_markup?.inline_keyboard ?? []).flat().flatMap((button) => ('callback_data' in button ? [button.callback_data] : [])).find((d) => d.startsWith(prefix))!;

    const answer = await deliver(a, fake.sendText('城区自来水普及率达到多少', USER));
    assert.match(await press(a, fake.pressButton(answer, 'dn:0', presser)), /已记下 👎/);
    assert.match(await press(b, fake.pressButton(answer, 'up:0', presser)), /已改为 👍/, 'the other replica knows the first vote (and the reader: one salt)');
    const context = await deliver(a, fake.pressButton(answer, dataOf(answer, 'ctx:'), presser));
    const flagPress = fake.pressButton(context, dataOf(context, 'spw:'), presser);
    const prompt = await deliver(a, flagPress);
    assert.match(prompt.text!, /回复本消息/);
    // The prompt is stored once it was sent (its message id is its key): wait until replica a is done with the press,
    // as a reader who types the name takes longer than that.
    await waitUntil(() => a.process.stderr().includes(`"update":${flagPress.update_id},`), 'replica a done with the flag');
    const thanks = await deliver(b, fake.sendText('王某某', { ...USER, replyToBot: true }));
    assert.match(thanks.text!, /已记下:王某某/, 'the other replica finds the prompt the name replies to');

    const metrics = async (replica: Replica) => (await fetch(`http://127.0.0.1:${replica.port}/metrics`)).text();
    const [onA, onB] = [await metrics(a), await metrics(b)];
    assert.match(onA, /bot_feedback_total\{kind="down"\} 1/);
    assert.match(onA, /bot_feedback_total\{kind="speaker"\} 1/);
    assert.match(onB, /bot_feedback_total\{kind="up"\} 1/);
    assert.match(onB, /bot_feedback_total\{kind="name"\} 1/);

    const report = (await feedbackCommand(config, ['--jsonl'])).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(report.filter((l) => l['type'] === 'question').map((l) => [l['question'], l['up'], l['down']]), [['城区自来水普及率达到多少', 1, 0]]);
    const [flag] = report.filter((l) => l['type'] === 'flag');
    assert.deepEqual(flag?.['suggestedNames'], [{ name: '王某某', count: 1 }]);
    assert.equal((flag?.['speaker'] as { name: string } | null)?.name, '林海生');
    fake.expectNoRejections();
  });

  it('both switch to a rebuilt index without a restart', async () => {
    fs.writeFileSync(path.join(config.CORPUS_DIR, '005_new.txt'), `城市管理工作会议\n\n${NEW_FACT}\n`);
    const rebuilt = await buildIndex(config);
    for (const [i, replica] of replicas.entries()) {
      await waitUntil(async () => ((await deliver(replica, fake.sendText('巡检机器人覆盖了多少公里', USER))).text ?? '').includes('十二公里廊道'),
        `replica ${i} to switch to generation ${rebuilt.generation}`, 60_000, 200);
      assert.match(replica.process.stdout() + replica.process.stderr(), new RegExp(`switched to generation ${rebuilt.generation}`));
    }
  });

  it('one killed with SIGKILL mid-answer: the other answers every update the dead one had taken', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const chat = { chatId: 4101, languageCode: 'zh' };
    const sent = await sendLoad(fake, { users: 1, questionsPerUser: 20, questions: ['城区自来水普及率达到多少', '新建了几座雨水泵站', '城市书房是怎样提供借阅服务的', '绿道建设有什么进展'], firstUserId: chat.chatId, paceSeconds: 1, sendEveryMs: 0 });
    // All to replica a, which claims them at once; one chat is answered one question at a time.
    for (const { update } of sent) {
      const response = await fetch(`http://127.0.0.1:${a.port}/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': a.secret },
        body: JSON.stringify(update),
      });
      assert.equal(response.status, 200);
    }
    const answered = () => sent.filter((q) => repliesTo(fake, q.update).length > 0).length;
    await waitUntil(() => answered() >= 2, 'two answers');
    await a.process.stop('SIGKILL');
    assert.ok(answered() < sent.length, `the kill came with questions in flight (${answered()} of ${sent.length} answered)`);
    const report = await collectReplies(fake, sent, (text) => /没有受理|出了错/.test(text), 120_000);
    assert.equal(report.lost, 0, `replica b answered the rest:\n${b.process.stderr()}`);
    assert.ok(report.duplicates <= 1, `${report.duplicates} answered twice: only the reply being sent at the kill may be`);
    fake.expectNoRejections();
  });
});
