/**
 * The real bot process under bursts, floods and Telegram's failures, against
 * the fake Bot API: every question gets its answer or a notice that it was not
 * taken, never silence, in order within a chat, without letting a flooder slow
 * others down.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Update } from 'grammy/types';
import { buildIndex } from '../../retrieval/api.js';
import { startBotAgainst, type StartedProcess } from '../support/bot-process.js';
import { FakeBotApi, parseTelegramHtml } from '../support/fake-bot-api/index.js';
import { collectReplies, repliesTo, sendLoad } from '../support/load.js';
import { fixtureCorpus, tempDir, testConfig } from '../support/temp.js';
import { waitUntil } from '../support/wait.js';

/** Questions on the test's own corpus (the water and parks summaries, five years of elderly-care meetings). */
const QUESTIONS = ['城区自来水普及率达到多少', '养老服务怎么做', '智慧水表', '防汛', '城市书房', '绿道', '垃圾分类', '公园'];
/** The "not taken" notice and the apology: anything else is an answer. */
const isNotice = (text: string) => /没有受理|出了错/.test(text);
const REPLY_TIMEOUT = 60_000;
describe('the bot under load and faults', () => {
  let fake: FakeBotApi;
  let bot: StartedProcess;

  before(async () => {
    const config = testConfig({ CORPUS_DIR: fixtureCorpus(['water-corpus', 'research-corpus']), INDEX_DIR: tempDir('load-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    fake = await FakeBotApi.start();
    bot = await startBotAgainst(fake, config, { EMBEDDING_MODEL: 'none/none', QUEUE_PER_CHAT: '40' }, 'deleteWebhook');
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await fake?.close();
  });

  afterEach(() => {
    fake.expectNoRejections(); // the bot sent nothing Telegram would reject
  });

  /** The bot's log lines for `update`. */
  const logOf = (update: Update) => bot.stderr().split('\n').filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry['msg'] === 'update' && entry['update'] === update.update_id);

  // What Telegram shows (quotes mark matched words in bold).
  const textOf = (update: Update) => parseTelegramHtml(String(repliesTo(fake, update)[0]?.params['text'] ?? '')).text;

  it('answers a burst of 30 questions sent within one second by one user, all 30, in order', async () => {
    const since = fake.calls.length;
    const sent = await sendLoad(fake, { users: 1, questionsPerUser: 30, questions: QUESTIONS, firstUserId: 5001, paceSeconds: 0, sendEveryMs: 30 });
    const report = await collectReplies(fake, sent, isNotice, REPLY_TIMEOUT);
    assert.deepEqual([report.sent, report.answered, report.refused, report.lost, report.duplicates], [30, 30, 0, 0, 0]);
    const order = fake.calls.slice(since).filter((c) => c.method === 'sendMessage')
      .map((c) => (c.params['reply_parameters'] as { message_id: number }).message_id);
    assert.deepEqual(order, sent.map((q) => q.update.message!.message_id), 'answered in the order asked');
  });

  it('past the chat queue, tells a flooder which questions were not taken; meanwhile answers another user first', async () => {
    const flood = await sendLoad(fake, { users: 1, questionsPerUser: 80, questions: QUESTIONS, firstUserId: 5002, paceSeconds: 0, sendEveryMs: 0 });
    // The other user asks once the flood is being handled.
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === 5002, { timeoutMs: REPLY_TIMEOUT });
    const other = fake.sendText('营商环境', { chatId: 5003, languageCode: 'zh' });
    const report = await collectReplies(fake, flood, isNotice, REPLY_TIMEOUT);
    assert.equal(report.lost, 0, 'no question left without a reply');
    assert.equal(report.duplicates, 0);
    assert.equal(report.answered + report.refused, 80);
    assert.ok(report.answered >= 40 && report.refused > 0, JSON.stringify(report));
    const refusals = flood.filter((q) => isNotice(textOf(q.update)));
    for (const refusal of refusals) assert.match(textOf(refusal.update), /没有受理.*排队/, 'the notice says why');
    await waitUntil(() => logOf(refusals[0]!.update).length > 0, 'the log line of a refused question', REPLY_TIMEOUT);
    assert.equal(logOf(refusals[0]!.update)[0]!['outcome'], 'refused');

    const otherReply = repliesTo(fake, other)[0];
    assert.ok(otherReply && !isNotice(String(otherReply.params['text'])));
    const floodAnswersBefore = flood.filter((q) => {
      const reply = repliesTo(fake, q.update)[0]!;
      return !isNotice(String(reply.params['text'])) && fake.calls.indexOf(reply) < fake.calls.indexOf(otherReply);
    }).length;
    // The few handled before the other question arrived go first; without fair scheduling it would be all 40 queued.
    assert.ok(floodAnswersBefore <= 10, `${floodAnswersBefore} of the flooder's answers went before the other user's`);
  });

  it('20 users × 10 questions at a human pace through Telegram failures: every question answered', async (t) => {
    const sendFaults = [
      ...Array(5).fill({ code: 500 }), ...Array(2).fill({ code: 'html502' }),
      ...Array(3).fill({ code: 429, retryAfter: 1 }), ...Array(3).fill({ drop: 'before' }), ...Array(2).fill({ drop: 'after' }),
    ];
    const failuresBefore = fake.injectedFailures.length;
    fake.failNext('getUpdates', [{ code: 500 }, { code: 500 }]);
    const sending = sendLoad(fake, { users: 20, questionsPerUser: 10, questions: QUESTIONS, firstUserId: 6000, paceSeconds: 2.5, sendEveryMs: 10 });
    // Spread over the run, as outages come and go: one fault in every 12 sendMessage calls.
    fake.failNext('sendMessage', sendFaults, 12);
    const sent = await sending;
    const report = await collectReplies(fake, sent, isNotice, REPLY_TIMEOUT);
    t.diagnostic(`load with faults: ${JSON.stringify(report)}`);
    const injected = fake.injectedFailures.slice(failuresBefore);
    const droppedAfterSend = injected.filter((f) => f.method === 'sendMessage' && 'drop' in f.error && f.error.drop === 'after').length;
    assert.equal(injected.length, sendFaults.length + 2, 'every fault was hit');
    assert.equal(report.lost, 0);
    assert.equal(report.refused, 0, 'a user at human pace is never refused, even when an outage delivers their questions together');
    assert.equal(report.answered, 200);
    // A connection dropped after Telegram sent the message looks like a failure: the retry sends it again.
    assert.equal(report.duplicates, droppedAfterSend);
  });

  it('handles each update once when getUpdates fails 3 times, once after delivering', async () => {
    const first = fake.sendText('养老服务怎么做', { chatId: 7001, languageCode: 'zh' });
    fake.failNext('getUpdates', [{ code: 500 }, { code: 'html502' }, { drop: 'after' }]);
    const second = fake.sendText('营商环境', { chatId: 7001, languageCode: 'zh' });
    const report = await collectReplies(fake, [{ update: first, sentAt: Date.now() }, { update: second, sentAt: Date.now() }], isNotice, REPLY_TIMEOUT);
    assert.deepEqual([report.answered, report.lost, report.duplicates], [2, 0, 0]);
    assert.match(bot.stderr(), /"method":"getUpdates".*"reason":"500 Internal Server Error"/, 'the failed polls are logged');
  });

  it('answers once when sendMessage fails 5 times in a row', async () => {
    fake.failNext('sendMessage', [{ code: 500 }, { code: 'html502' }, { code: 429, retryAfter: 1 }, { drop: 'before' }, { code: 502 }]);
    const question = fake.sendText('城区自来水普及率达到多少', { chatId: 7002, languageCode: 'zh' });
    const report = await collectReplies(fake, [{ update: question, sentAt: Date.now() }], isNotice, REPLY_TIMEOUT);
    assert.deepEqual([report.answered, report.lost, report.duplicates], [1, 0, 0]);
    assert.match(textOf(question), /百分之九十八/);
  });

  it('a 429 for one chat (its own limit) holds up that chat only; every question still answered', async () => {
    const group = { chatType: 'group', chatId: -7100, userId: 7101, languageCode: 'zh' } as const;
    fake.chatLimit = { messages: 2, seconds: 5 };
    try {
      const throttledBefore = fake.chatThrottled.length;
      const groupQuestions = QUESTIONS.slice(0, 4).map((q) => ({ update: fake.sendText(`/ask ${q}`, group), sentAt: Date.now() }));
      await waitUntil(() => fake.chatThrottled.length > throttledBefore, 'a 429 for the group', REPLY_TIMEOUT);
      const limited = fake.chatThrottled[throttledBefore]!;
      assert.equal(limited.params['chat_id'], group.chatId);
      // Another user asks while the group waits out its limit: Telegram asked the group to wait, not the bot.
      const other = fake.sendText('营商环境', { chatId: 7102, languageCode: 'zh' });
      const otherReport = await collectReplies(fake, [{ update: other, sentAt: Date.now() }], isNotice, REPLY_TIMEOUT, 0);
      assert.equal(otherReport.answered, 1);
      const otherReply = repliesTo(fake, other)[0]!;
      const groupReport = await collectReplies(fake, groupQuestions, isNotice, REPLY_TIMEOUT);
      // The group's next message went out once its retry_after was over (throttled calls are not recorded as calls);
      // the other user's reply went out before it.
      const groupAfterLimit = fake.calls.find((c) => c.method === 'sendMessage' && c.params['chat_id'] === group.chatId && c.at > limited.at);
      assert.ok(groupAfterLimit, 'the group was answered after its 429');
      assert.ok(fake.calls.indexOf(otherReply) < fake.calls.indexOf(groupAfterLimit), 'the other user did not wait out the group\'s limit');
      assert.deepEqual([groupReport.answered, groupReport.lost, groupReport.duplicates], [4, 0, 0]);
    } finally {
      fake.chatLimit = undefined;
    }
  });

  it('gives up on a reply Telegram will not take within the retry bound: logs the update id and apologises', async () => {
    // retry_after beyond the 30 s bound on retries: no point waiting.
    fake.failNext('sendMessage', [{ code: 429, retryAfter: 600 }]);
    const question = fake.sendText('营商环境', { chatId: 7006, languageCode: 'zh' });
    const report = await collectReplies(fake, [{ update: question, sentAt: Date.now() }], isNotice, REPLY_TIMEOUT);
    assert.deepEqual([report.refused, report.lost], [1, 0]);
    assert.match(textOf(question), /出了错/);
    const gaveUp = bot.stderr().split('\n').find((line) => line.includes('gave up on the update'));
    assert.ok(gaveUp, bot.stderr());
    assert.equal((JSON.parse(gaveUp) as { update: number }).update, question.update_id);
  });

  it('answers every button press, stale or garbled', async () => {
    const question = fake.sendText('养老服务怎么做', { chatId: 7003, languageCode: 'zh' });
    await collectReplies(fake, [{ update: question, sentAt: Date.now() }], isNotice, REPLY_TIMEOUT);
    const answer = fake.lastSentMessage(7003)!;
    const since = fake.calls.length;
    const presses = ['garbage', 'ctx:zzzz', 'more:-1', 'spk:99999', 'ask:77', ''].map((data) =>
      fake.pressButton(answer, data, { allowMissingButton: true, userId: 7003, languageCode: 'zh' }));
    await fake.waitForCall(
      () => fake.calls.slice(since).filter((c) => c.method === 'answerCallbackQuery').length === presses.length,
      { since, timeoutMs: REPLY_TIMEOUT },
    );
    const answered = fake.calls.slice(since).filter((c) => c.method === 'answerCallbackQuery').map((c) => c.params['callback_query_id']);
    assert.deepEqual(answered.sort(), presses.map((p) => p.callback_query!.id).sort());
  });

  it('searches only the last of a user\'s inline queries typed in quick succession', async () => {
    const since = fake.calls.length;
    const typed = ['养', '养老', '养老服务'].map((query) => fake.inlineQuery(query, { userId: 7004, languageCode: 'zh' }));
    const answered = await fake.waitForCall((c) => c.method === 'answerInlineQuery', { since, timeoutMs: REPLY_TIMEOUT });
    assert.equal(answered.params['inline_query_id'], typed.at(-1)!.inline_query!.id);
    const other = fake.inlineQuery('营商环境', { userId: 7005, languageCode: 'zh' });
    await fake.waitForCall((c) => c.method === 'answerInlineQuery' && c.params['inline_query_id'] === other.inline_query!.id, { since, timeoutMs: REPLY_TIMEOUT });
    assert.equal(fake.calls.slice(since).filter((c) => c.method === 'answerInlineQuery').length, 2, 'the superseded queries were not searched');
    await waitUntil(() => logOf(typed[0]!).length > 0, 'the log line of a superseded query', REPLY_TIMEOUT);
    assert.equal(logOf(typed[0]!)[0]!['outcome'], 'superseded');
  });

  it('logs one JSON line per update, without the question', async () => {
    const question = fake.sendText('智慧水表', { chatId: 7007, languageCode: 'zh' });
    await collectReplies(fake, [{ update: question, sentAt: Date.now() }], isNotice, REPLY_TIMEOUT);
    await waitUntil(() => logOf(question).length > 0, 'the log line of the question', REPLY_TIMEOUT);
    const lines = logOf(question);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    for (const key of ['update', 'chat', 'kind', 'outcome', 'ms']) assert.ok(key in lines[0]!, `${key} in ${JSON.stringify(lines[0])}`);
    assert.ok(!JSON.stringify(lines[0]).includes('智慧水表'), 'the question text only at debug level');
  });
});
