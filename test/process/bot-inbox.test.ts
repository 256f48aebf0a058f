/**
 * No question lost when the process dies: the real bot process is killed with
 * SIGKILL while many questions are in flight, in long polling and in webhook
 * mode, after Telegram was told they arrived; the next start answers every one
 * of them from the inbox in INDEX_DIR. Only a reply being sent at the moment of
 * the kill may come twice. An update Telegram sends again is answered once, and
 * an answer Telegram keeps refusing ends in the apology.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Update } from 'grammy/types';
import { buildIndex } from '../../retrieval/api.js';
import type { RetrievalConfig } from '../../retrieval/config.js';
import { startBotAgainst, type StartedProcess } from '../support/bot-process.js';
import { DEFAULT_TOKEN, FakeBotApi, type RecordedCall } from '../support/fake-bot-api/index.js';
import { freePort } from '../support/free-port.js';
import { collectReplies, repliesTo, sendLoad, type SentQuestion } from '../support/load.js';
import { fixtureCorpus, tempDir, testConfig } from '../support/temp.js';
import { waitUntil } from '../support/wait.js';

const QUESTIONS = ['城区自来水普及率达到多少', '新建了几座雨水泵站', '城市书房是怎样提供借阅服务的', '绿道建设有什么进展', '排水管道', '自来水'];
const SECRET = 'inbox-secret';
/** The "not taken" notice and the apology: anything else is an answer. */
const isNotice = (text: string) => /没有受理|出了错/.test(text);
/**
 * Only a reply being sent at the moment of the kill may come twice (Telegram took it, the process died before it
 * marked the update done). A chat's questions are answered one after the other, so with three chats at most three
 * replies are being sent at any moment.
 */
const MAX_DUPLICATES = 3;
const REPLY_TIMEOUT = 120_000;

describe('no question lost when the bot process is killed', () => {
  let fake: FakeBotApi;
  let config: RetrievalConfig;
  let bot: StartedProcess | undefined;

  before(async () => {
    // One fake Bot API for the whole file: update ids go on rising, as Telegram's do.
    config = testConfig({ CORPUS_DIR: fixtureCorpus(['water-corpus']), INDEX_DIR: tempDir('inbox-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    fake = await FakeBotApi.start();
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await fake?.close();
  });

  /** Updates Telegram still holds for the bot (not yet confirmed by a getUpdates offset). */
  const pendingAtTelegram = async () => {
    const response = await fetch(`${fake.apiRoot}/bot${DEFAULT_TOKEN}/getWebhookInfo`, { method: 'POST' });
    return ((await response.json()) as { result: { pending_update_count: number } }).result.pending_update_count;
  };
  const answeredCount = (sent: SentQuestion[]) => sent.filter((q) => repliesTo(fake, q.update).length > 0).length;

  /** For each chat, the questions in the order of their first replies: the order they were asked in, if kept. */
  const firstReplyOrder = (sent: SentQuestion[]) => {
    const byChat = new Map<number, { messageId: number; at: number }[]>();
    for (const { update } of sent) {
      const first = repliesTo(fake, update)[0];
      if (!first) continue;
      const chat = update.message!.chat.id;
      byChat.set(chat, [...(byChat.get(chat) ?? []), { messageId: update.message!.message_id, at: fake.calls.indexOf(first) }]);
    }
    return [...byChat.values()].map((replies) => replies.sort((a, b) => a.at - b.at).map((r) => r.messageId));
  };
  const inOrder = (ids: number[]) => ids.every((id, i) => i === 0 || ids[i - 1]! < id);

  it('long polling: questions Telegram had forgotten are answered after a restart, in order per chat', async () => {
    bot = await startBotAgainst(fake, config, { EMBEDDING_MODEL: 'none/none' }, 'deleteWebhook');
    const sent = await sendLoad(fake, { users: MAX_DUPLICATES, questionsPerUser: 14, questions: QUESTIONS, firstUserId: 7001, paceSeconds: 1, sendEveryMs: 0 });
    await waitUntil(async () => answeredCount(sent) >= 3 && (await pendingAtTelegram()) === 0, 'three answers, and Telegram done with the updates');
    await bot.stop('SIGKILL');
    const answeredBeforeKill = answeredCount(sent);
    assert.ok(answeredBeforeKill < sent.length, `the kill came with questions in flight (${answeredBeforeKill} of ${sent.length} answered)`);
    assert.equal(await pendingAtTelegram(), 0, 'Telegram will not deliver them again');

    bot = await startBotAgainst(fake, config, { EMBEDDING_MODEL: 'none/none' }, 'deleteWebhook');
    const report = await collectReplies(fake, sent, isNotice, REPLY_TIMEOUT);
    assert.equal(report.lost, 0, `every question answered after the restart:\n${bot.stderr()}`);
    assert.equal(report.refused, 0);
    assert.ok(report.duplicates <= MAX_DUPLICATES, `${report.duplicates} answered twice`);
    for (const order of firstReplyOrder(sent)) assert.ok(inOrder(order), `answered in the order asked: ${order.join(' ')}`);
    fake.expectNoRejections();
    await bot.stop('SIGTERM');
  });

  describe('webhook', () => {
    let port: number;
    const env = () => ({ EMBEDDING_MODEL: 'none/none', WEBHOOK_URL: 'https://bot.example.org/hook', WEBHOOK_SECRET: SECRET, PORT: String(port) });
    const post = (update: Update) =>
      fetch(`http://127.0.0.1:${port}/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(update),
      }).then((response) => response.status);
    const repliesToMessage = (update: Update, since = 0) =>
      fake.calls.slice(since).filter((c: RecordedCall) => c.method === 'sendMessage' && c.params['chat_id'] === update.message!.chat.id
        && (c.params['reply_parameters'] as { message_id?: number } | undefined)?.message_id === update.message!.message_id);

    before(async () => {
      port = await freePort();
      bot = await startBotAgainst(fake, config, env(), 'setWebhook');
    });

    it('acknowledges at once, and after a kill answers all that it acknowledged; a redelivered update is answered once', async () => {
      // One user sends 30 questions: each chat is answered one at a time, so most are still waiting at the kill.
      const sent = await sendLoad(fake, { users: 1, questionsPerUser: 30, questions: QUESTIONS, firstUserId: 7101, paceSeconds: 1, sendEveryMs: 0 });
      for (const { update } of sent) assert.equal(await post(update), 200);
      await waitUntil(() => answeredCount(sent) >= 3, 'three answers');
      await bot!.stop('SIGKILL');
      const answeredBeforeKill = answeredCount(sent);
      assert.ok(answeredBeforeKill < sent.length, `the kill came with questions in flight (${answeredBeforeKill} of ${sent.length} answered)`);

      bot = await startBotAgainst(fake, config, env(), 'setWebhook');
      // Telegram sends an update again when it doubts the first delivery: this one was answered before the kill.
      assert.equal(await post(sent[0]!.update), 200);
      const report = await collectReplies(fake, sent, isNotice, REPLY_TIMEOUT);
      assert.equal(report.lost, 0, `every question answered after the restart:\n${bot.stderr()}`);
      assert.ok(report.duplicates <= MAX_DUPLICATES, `${report.duplicates} answered twice`);
      assert.equal(repliesTo(fake, sent[0]!.update).length, 1, 'the redelivered update is not answered again');
      assert.ok(inOrder(firstReplyOrder(sent)[0]!), 'answered in the order asked');
      fake.expectNoRejections();
    });

    it('answers the same update_id posted twice once', async () => {
      const since = fake.calls.length;
      const question = fake.sendText('雨水泵站', { chatId: 7201, languageCode: 'zh' });
      // Twice at once, then once more after the answer.
      assert.deepEqual(await Promise.all([post(question), post(question)]), [200, 200]);
      await fake.waitForCall((c) => repliesToMessage(question, since).includes(c), { since, timeoutMs: 30_000 });
      assert.equal(await post(question), 200);
      // The chat's next question is answered after anything queued before it, so a second answer would come first.
      const next = fake.sendText('绿道', { chatId: 7201, languageCode: 'zh' });
      assert.equal(await post(next), 200);
      await fake.waitForCall((c) => repliesToMessage(next, since).includes(c), { since, timeoutMs: 30_000 });
      assert.equal(repliesToMessage(question, since).length, 1);
    });

    it('apologises once when every attempt to send the answer fails, with the update id in the log', async () => {
      // Eight 500s: the retry bound (retry.ts) is spent, then the apology goes through.
      fake.failNext('sendMessage', Array.from({ length: 8 }, () => ({ code: 500 as const })));
      const since = fake.calls.length;
      const question = fake.sendText('自来水', { chatId: 7301, languageCode: 'zh' });
      assert.equal(await post(question), 200);
      const apology = await fake.waitForCall((c) => repliesToMessage(question, since).includes(c), { since, timeoutMs: 60_000 });
      assert.match(String(apology.params['text']), /出了错/);
      const next = fake.sendText('绿道', { chatId: 7301, languageCode: 'zh' });
      assert.equal(await post(next), 200);
      await fake.waitForCall((c) => repliesToMessage(next, since).includes(c), { since, timeoutMs: 30_000 });
      assert.equal(repliesToMessage(question, since).length, 1, 'one apology, no answer after it');
      const gaveUp = bot!.stderr().split('\n').filter((line) => line.includes('gave up on the update'));
      assert.deepEqual(gaveUp.map((line) => (JSON.parse(line) as { update: number }).update), [question.update_id]);
      await bot!.stop('SIGTERM');
    });
  });
});
