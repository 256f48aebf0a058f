/**
 * The real bot process (`node --import tsx scripts/start.ts`) against the fake
 * Telegram Bot API: conversations, buttons, groups, inline mode, failures,
 * a hot index swap (stopping by a signal: test/process/bot-startup.test.ts). Each test stands alone: it asks the
 * questions whose answers it needs, on the test's own corpus (the water and parks summaries and five years of
 * elderly-care meetings in test/fixtures). (Reply latency is `npm run bench -- --part bot`.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Message, Update } from 'grammy/types';
import { buildIndex } from '../../retrieval/api.js';
import type { RetrievalConfig } from '../../retrieval/config.js';
import { readManifest } from '../../retrieval/index/store/sqlite/build-folders.js';
import { startBotAgainst, type StartedProcess } from '../support/bot-process.js';
import { DEFAULT_TOKEN, FakeBotApi, parseTelegramHtml, type RecordedCall, type TextOptions } from '../support/fake-bot-api/index.js';
import { fixtureCorpus, tempDir, testConfig, testModelDir } from '../support/temp.js';
import { waitUntil } from '../support/wait.js';

const ZH_USER = { chatId: 2001, languageCode: 'zh-hans' } satisfies TextOptions;
const EN_USER = { chatId: 2002, languageCode: 'en' } satisfies TextOptions;
const GROUP = { chatType: 'group', chatId: -4001, userId: 2003, languageCode: 'zh' } satisfies TextOptions;
const REPLY_TIMEOUT = 20_000;
const CORPORA = ['water-corpus', 'research-corpus'];

describe('the bot against a fake Telegram', () => {
  let fake: FakeBotApi;
  let bot: StartedProcess;
  let config: RetrievalConfig;

  /** Waits for the bot's sendMessage in reply to `update`'s message, and returns that message as the chat shows it. */
  async function replyTo(update: Update, since = 0): Promise<Message> {
    const question = update.message!;
    const call = await fake.waitForCall(
      (c) => c.method === 'sendMessage' && (c.params['reply_parameters'] as { message_id?: number })?.message_id === question.message_id
        && c.params['chat_id'] === question.chat.id,
      { since, timeoutMs: REPLY_TIMEOUT },
    );
    return sentMessage(call);
  }

  /** The message a sendMessage call created (the fake numbers messages per chat, so match on the reply and text). */
  function sentMessage(call: RecordedCall): Message {
    const chatId = call.params['chat_id'] as number;
    const replyToId = (call.params['reply_parameters'] as { message_id: number }).message_id;
    const found = fake.sentMessages(chatId).filter((m) => m.reply_to_message?.message_id === replyToId).at(-1);
    assert.ok(found, `no message sent in reply to ${replyToId}`);
    return found;
  }

  function nextSend(since: number, chatId: number): Promise<RecordedCall> {
    return fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === chatId, { since, timeoutMs: REPLY_TIMEOUT });
  }

  async function ask(text: string, options: TextOptions): Promise<Message> {
    const since = fake.calls.length;
    return replyTo(fake.sendText(text, options), since);
  }

  const buttonsOf = (message: Message) =>
    (message.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: 'callback_data' in b ? b.callback_data : '' }));

  before(async () => {
    const model = await testModelDir();
    config = testConfig({ CORPUS_DIR: fixtureCorpus(CORPORA), INDEX_DIR: tempDir('bot-index'), EMBEDDING_MODEL: model });
    await buildIndex(config);
    fake = await FakeBotApi.start();
    bot = await startBotAgainst(
      fake,
      config,
      { EMBEDDING_MODEL: model },
      // The bot's last call before it starts polling (a pending long poll is recorded only when it returns).
      'deleteWebhook',
    );
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await fake?.close();
  });

  afterEach(() => {
    fake.expectNoRejections(); // the bot sent nothing Telegram would reject
  });

  it('/start describes the bot with example buttons, and the commands are registered in both languages', async () => {
    const reply = await ask('/start', ZH_USER);
    assert.match(reply.text!, /只引用原文/);
    assert.ok(reply.text!.includes(`${fs.readdirSync(config.CORPUS_DIR).length} 份文件`), reply.text!);
    const buttons = buttonsOf(reply);
    assert.equal(buttons.length, 3);
    assert.ok(buttons.every((b) => b.data.startsWith('ask:')));
    const commands = (language: string) => (fake.myCommands(language) as { command: string; description: string }[]);
    assert.deepEqual(commands('').map((c) => c.command), ['start', 'help', 'ask', 'speakers', 'sources', 'about', 'timeline', 'speaker', 'compare']);
    assert.deepEqual(commands('zh').map((c) => c.command), ['start', 'help', 'ask', 'speakers', 'sources', 'about', 'timeline', 'speaker', 'compare']);
    assert.match(commands('zh')[0]!.description, /简介/);
    assert.match(commands('')[0]!.description, /example/);

    // The examples come from the index: a frequent term, the speaker with most paragraphs, a document.
    assert.match(buttons[1]!.text, /^\p{Script=Han}+: \p{Script=Han}+$/u);
    assert.match(buttons[2]!.text, /^source:\S+ /);
    for (const [i, button] of buttons.entries()) {
      const since = fake.calls.length;
      fake.pressButton(reply, button.data, { userId: ZH_USER.chatId, languageCode: 'zh' });
      const echo = sentMessage(await nextSend(since, ZH_USER.chatId));
      assert.equal(echo.text, button.text);
      const answer = sentMessage(await fake.waitForCall(
        (c) => c.method === 'sendMessage' && (c.params['reply_parameters'] as { message_id: number }).message_id === echo.message_id,
        { since, timeoutMs: REPLY_TIMEOUT },
      ));
      const term = button.text.split(/[: ]/).at(-1)!;
      assert.match(answer.text!, /第 1–\d+ 条/, `example ${i} is answered`);
      assert.ok(answer.text!.includes(term), `example ${i}: the answer quotes "${term}"`);
    }
  });

  it('/help shows filters with a real speaker and document of the index', async () => {
    const start = buttonsOf(await ask('/start', ZH_USER));
    const help = await ask('/help', ZH_USER);
    const [speaker, term] = start[1]!.text.split(': ') as [string, string];
    assert.ok(help.text!.includes(`speaker:${speaker} ${term}`), help.text!);
    assert.ok(help.text!.includes(start[2]!.text), help.text!);
  });

  const QUESTION = '城区易涝点减少到了几处?';

  it('answers a Chinese question with the verbatim quote and its citation, as an HTML reply', async () => {
    const since = fake.calls.length;
    const zhAnswer = await ask(QUESTION, ZH_USER);
    assert.match(zhAnswer.text!, /城区易涝点由二十七处减少到九处/);
    assert.ok(zhAnswer.text!.includes('— 陈雨桐(市应急管理局副局长)'), zhAnswer.text!);
    assert.match(zhAnswer.text!, /日期不详/);
    assert.ok(zhAnswer.entities?.some((e) => e.type === 'blockquote'));
    const call = fake.calls.slice(since).find((c) => c.method === 'sendMessage')!;
    assert.equal(call.params['parse_mode'], 'HTML');
    assert.deepEqual(call.params['link_preview_options'], { is_disabled: true });
    const buttons = buttonsOf(zhAnswer).map((b) => b.text);
    assert.deepEqual(buttons, ['上下文 1', '上下文 2', '上下文 3', '更多结果', '👍', '👎']);
  });

  it('"more results" sends the next page, as a reply to the question', async () => {
    const zhAnswer = await ask(QUESTION, ZH_USER);
    const more = buttonsOf(zhAnswer).find((b) => b.data.startsWith('more:'))!;
    const since = fake.calls.length;
    fake.pressButton(zhAnswer, more.data, { userId: ZH_USER.chatId, languageCode: 'zh' });
    const page = sentMessage(await nextSend(since, ZH_USER.chatId));
    assert.match(page.text!, /第 4–6 条/);
    assert.equal(page.reply_to_message?.message_id, zhAnswer.reply_to_message?.message_id);
    assert.ok(fake.calls.slice(since).some((c) => c.method === 'answerCallbackQuery'));
  });

  it('"context" shows the paragraphs around a quote', async () => {
    const zhAnswer = await ask(QUESTION, ZH_USER);
    const context = buttonsOf(zhAnswer).find((b) => b.text === '上下文 1')!;
    const since = fake.calls.length;
    fake.pressButton(zhAnswer, context.data, { userId: ZH_USER.chatId, languageCode: 'zh' });
    const shown = sentMessage(await nextSend(since, ZH_USER.chatId));
    assert.match(shown.text!, /^上下文/);
    // The quoted paragraph, marked, and at least one neighbour from the same section.
    const paragraphs = shown.text!.split('\n\n').slice(1, -1);
    assert.equal(paragraphs.filter((p) => p.startsWith('▶')).length, 1);
    assert.ok(paragraphs.length >= 2, 'a neighbouring paragraph is part of the context');
    assert.equal(shown.reply_to_message?.message_id, zhAnswer.message_id);
  });

  it('speaks English to English users, and says honestly when the corpus has no answer', async () => {
    const found = await ask(QUESTION, EN_USER);
    assert.match(found.text!, /Results 1–3 of \d+/);
    assert.match(found.text!, /城区易涝点由二十七处减少到九处/);
    assert.match(found.text!, /date unknown/);
    assert.deepEqual(buttonsOf(found).map((b) => b.text).slice(0, 2), ['Context 1', 'Context 2']);
    const notFound = await ask('What subsidies for the semiconductor industry were announced?', EN_USER);
    assert.match(notFound.text!, /I found no passage in the corpus that answers this/);
    assert.doesNotMatch(notFound.text!, /「|Context/);
  });

  it('answers a question in English, and one in traditional script, with the passage in the original script', async () => {
    const english = await ask('How many readers did the library receive last year?', EN_USER);
    assert.match(english.text!, /去年接待读者六十万人次/);
    assert.ok(english.text!.includes('— 许文清(市图书馆馆长)'), english.text!);
    const traditional = await ask('防汛應急演練檢驗了哪些方面?', ZH_USER);
    assert.match(traditional.text!, /检验了抢险队伍、物资储备和转移安置方案/);
    assert.ok(traditional.text!.includes('— 陈雨桐(市应急管理局副局长)'), traditional.text!);
  });

  it('/speakers lists every speaker with their paragraphs, /sources every document', async () => {
    const speakers = await ask('/speakers', ZH_USER);
    assert.match(speakers.text!, /^讲话人\(第 1\/2 页,括号内为段落数\)\n• 黄德明 市民政局局长 \(4 段\)\n/);
    const next = buttonsOf(speakers).find((b) => b.data.startsWith('spk:'));
    assert.ok(next, 'a button to the next page');
    const since = fake.calls.length;
    fake.pressButton(speakers, next.data, { userId: ZH_USER.chatId, languageCode: 'zh' });
    const turned = await fake.waitForCall((c) => ['sendMessage', 'editMessageText'].includes(c.method) && c.params['chat_id'] === ZH_USER.chatId, { since, timeoutMs: REPLY_TIMEOUT });
    const page = parseTelegramHtml(String(turned.params['text'])).text;
    assert.match(page, /^讲话人\(第 2\/2 页/);
    for (const name of ['林海生', '陈雨桐', '许文清', '周立平', '何晓光']) assert.ok(page.includes(name), `${name} in ${page}`);
    const sources = await ask('/sources', EN_USER);
    for (const title of ['城市供水与防汛工作座谈会发言摘要', '城市绿道与公园建设情况通报会发言摘要', '全市养老服务工作会议讲话摘要']) {
      assert.ok(sources.text!.includes(title), `${title} in ${sources.text}`);
    }
  });

  it('in groups, answers /ask, mentions and replies to the bot, and nothing else', async () => {
    const since = fake.calls.length;
    const ignored = fake.sendText('养老服务怎么做', GROUP);
    fake.sendSticker(GROUP);
    fake.sendText('/ask@some_other_bot 养老', GROUP);
    const mentioned = await ask('@fake_test_bot 养老服务', GROUP);
    assert.match(mentioned.text!, /养老/);
    const command = await ask('/ask@fake_test_bot 智慧水表', GROUP);
    assert.match(command.text!, /智慧水表/);
    const replied = await ask('易涝点减少到几处', { ...GROUP, replyToBot: true });
    assert.match(replied.text!, /减少到九处/);
    const sent = fake.calls.slice(since).filter((c) => c.method === 'sendMessage');
    assert.equal(sent.length, 3, 'no reply to the plain message or the sticker');
    assert.ok(!sent.some((c) => (c.params['reply_parameters'] as { message_id: number }).message_id === ignored.message!.message_id));
  });

  it('answers inline queries with at most 10 articles with unique ids', async () => {
    const since = fake.calls.length;
    fake.inlineQuery('养老服务', { languageCode: 'zh' });
    const call = await fake.waitForCall((c) => c.method === 'answerInlineQuery', { since, timeoutMs: REPLY_TIMEOUT });
    const results = (typeof call.params['results'] === 'string' ? JSON.parse(call.params['results']) : call.params['results']) as { id: string; type: string }[];
    assert.ok(results.length > 0 && results.length <= 10, `${results.length} results`);
    assert.equal(new Set(results.map((r) => r.id)).size, results.length);
    assert.ok(results.every((r) => r.type === 'article' && Buffer.byteLength(r.id) <= 64));
    assert.ok(Number(call.params['cache_time']) <= 60);
  });

  it('gives a friendly hint for stickers, photos, voice and unknown commands in private chats', async () => {
    for (const send of [() => fake.sendSticker(ZH_USER), () => fake.sendPhoto(ZH_USER), () => fake.sendVoice(ZH_USER), () => fake.sendText('/nope', ZH_USER)]) {
      const since = fake.calls.length;
      const reply = await replyTo(send(), since);
      assert.match(reply.text!, /文字|命令/);
    }
  });

  it('escapes HTML in questions, and copes with a 5000-character one', async () => {
    const escaped = await ask('<b>养老</b> & 教育', ZH_USER);
    assert.ok(escaped.text!.includes('<b>养老</b> & 教育'));
    const long = await ask(`养老服务${'怎么做?'.repeat(1250)}`, ZH_USER);
    assert.match(long.text!, /问题超过 500 个字符/);
  });

  it('sends exactly one reply when Telegram first answers 429 and then 500', async () => {
    const failuresBefore = fake.injectedFailures.length;
    fake.failNext('sendMessage', [{ code: 429, retryAfter: 1 }, { code: 500 }]);
    const since = fake.calls.length;
    const update = fake.sendText('智慧水表', ZH_USER);
    await replyTo(update, since);
    assert.equal(fake.injectedFailures.length - failuresBefore, 2);
    // A later message in the chat is answered after this one: a second reply to the first would have been sent by now.
    await ask('/about', ZH_USER);
    const replies = fake.calls.slice(since).filter(
      (c) => c.method === 'sendMessage' && (c.params['reply_parameters'] as { message_id: number }).message_id === update.message!.message_id,
    );
    assert.equal(replies.length, 1);
    assert.match(bot.stderr(), /sendMessage/, 'the failed calls are logged');
    assert.doesNotMatch(bot.stderr(), new RegExp(DEFAULT_TOKEN), 'without the token');
  });

  it('survives a button with garbage data, and edited messages', async () => {
    const zhAnswer = await ask(QUESTION, ZH_USER);
    const since = fake.calls.length;
    const presser = { allowMissingButton: true, userId: ZH_USER.chatId, languageCode: 'zh' };
    fake.pressButton(zhAnswer, 'garbage', presser);
    fake.pressButton(zhAnswer, 'ctx:000000000000', presser); // a paragraph no longer in the index
    const answers = () => fake.calls.slice(since).filter((c) => c.method === 'answerCallbackQuery');
    await waitUntil(() => answers().length >= 2, 'an answer to both presses', REPLY_TIMEOUT);
    await ask('/about', ZH_USER); // and no third answer after the next message
    assert.equal(answers().length, 2);
    for (const answer of answers()) assert.match(String(answer.params['text']), /已过期/);
    fake.editMessage(zhAnswer.reply_to_message as Message, '养老');
    assert.ok(await ask('养老', ZH_USER), 'still answering');
  });

  it('switches to a rebuilt index without a restart', async () => {
    const rebuilt = await buildIndex(config);
    const builtAt = readManifest(rebuilt.generation).builtAt;
    let about = '';
    await waitUntil(async () => (about = (await ask('/about', EN_USER)).text!).includes(builtAt), `/about to name the build of ${builtAt}`, 60_000, 200);
    assert.match(about, /vectors \(model/);
    assert.match((await ask(QUESTION, ZH_USER)).text!, /减少到九处/);
  });
});
