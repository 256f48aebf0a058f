/**
 * /timeline, /speaker and /compare through the real bot process against the
 * fake Telegram Bot API, on test/fixtures/research-corpus (dates over five
 * years, several speakers): commands in both languages, paging, the profile's
 * buttons, unknown and ambiguous names, topics without passages. Then the
 * rendering alone, on passages long enough to pass Telegram's limit.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Message } from 'grammy/types';
import { buildIndex, type RetrievalConfig, type SearchHit, type Timeline } from '../../retrieval/api.js';
import { MAX_MESSAGE_LENGTH, visibleLength } from '../../bot/presentation/format.js';
import { messagesFor } from '../../bot/presentation/i18n.js';
import { comparePage, timelinePage } from '../../bot/presentation/research.js';
import { startBotAgainst, type StartedProcess } from '../support/bot-process.js';
import { FakeBotApi, type TextOptions } from '../support/fake-bot-api/index.js';
import { tempDir, testConfig } from '../support/temp.js';

const ZH = { chatId: 6001, languageCode: 'zh' } satisfies TextOptions;
const EN = { chatId: 6002, languageCode: 'en' } satisfies TextOptions;
const WAIT = { timeoutMs: 20_000 };

describe('the researcher’s commands against a fake Telegram', () => {
  let fake: FakeBotApi;
  let bot: StartedProcess;

  /** The bot's reply to the message `replyTo` of chat `chatId`, sent after call number `since`. */
  async function replyTo(chatId: number, replyTo: number, since: number): Promise<Message> {
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === chatId
      && (c.params['reply_parameters'] as { message_id?: number })?.message_id === replyTo, { since, ...WAIT });
    return fake.sentMessages(chatId).filter((m) => m.reply_to_message?.message_id === replyTo).at(-1)!;
  }

  async function send(text: string, user: TextOptions): Promise<Message> {
    const since = fake.calls.length;
    const update = fake.sendText(text, user);
    return replyTo(user.chatId!, update.message!.message_id, since);
  }

  const buttonsOf = (message: Message) =>
    (message.reply_markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: 'callback_data' in b ? b.callback_data : '' }));

  before(async () => {
    const config: RetrievalConfig = testConfig({
      CORPUS_DIR: path.resolve('test/fixtures/research-corpus'), INDEX_DIR: tempDir('bot-research-index'), EMBEDDING_MODEL: 'none/none',
    });
    await buildIndex(config);
    fake = await FakeBotApi.start();
    bot = await startBotAgainst(fake, config, { EMBEDDING_MODEL: 'none/none' }, 'deleteWebhook');
  });

  after(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it('the commands are in the menu and /help in both languages', async () => {
    for (const language of ['', 'zh']) {
      const names = (fake.myCommands(language) as { command: string }[]).map((c) => c.command);
      for (const command of ['timeline', 'speaker', 'compare']) assert.ok(names.includes(command), `${command} in the ${language || 'default'} menu`);
    }
    const help = await send('/help', EN);
    assert.match(help.text!, /^\/timeline Passages on a topic/m);
    assert.match(help.text!, /^\/compare Two speakers/m);
    assert.match((await send('/help', ZH)).text!, /^\/speaker 讲话人概况/m);
  });

  it('/timeline counts per year with a bar each, then pages through the passages by date', async () => {
    const first = await send('/timeline 养老', ZH);
    const text = first.text!;
    assert.match(text, /13 段原文,按年统计;其中 1 段所在文件没有日期/);
    assert.match(text, /^2019 +█+ 3$/m);
    assert.match(text, /^2021 +█{12} 5$/m, 'the busiest period has the longest bar');
    assert.match(text, /^2022 +0$/m, 'a year without passages shows as a gap');
    assert.match(text, /^日期不详 █+ 1$/m);
    assert.match(text, /第 1–5 条,共 13 条/);
    assert.ok(text.indexOf('── 2019 ──') < text.indexOf('── 2020 ──'));
    assert.match(text, /全市已建成社区养老服务站六十个/);
    assert.match(text, /— 黄德明\(市民政局局长\) · 《全市养老服务工作会议讲话摘要》 · 市政府网 · 2019-03-15/);
    assert.deepEqual(buttonsOf(first), [{ text: '更多结果', data: 'tl:5' }]);

    let page = first;
    const pages = [first];
    while (buttonsOf(page).length > 0) {
      const since = fake.calls.length;
      fake.pressButton(page, buttonsOf(page)[0]!.data, { userId: ZH.chatId, languageCode: 'zh' });
      page = await replyTo(ZH.chatId, first.reply_to_message!.message_id, since);
      pages.push(page);
    }
    assert.equal(pages.length, 3);
    assert.match(pages[1]!.text!, /第 6–10 条,共 13 条/);
    assert.match(pages[2]!.text!, /第 11–13 条,共 13 条/);
    assert.match(pages[2]!.text!, /── 日期不详 ──[\s\S]*城市书房和社区养老服务站合在一起建设/, 'the undated passage comes last, under its own heading');
  });

  it('/timeline in English; a topic with no passage, and no topic, say so', async () => {
    const english = await send('/timeline speaker:刘志勇 养老', EN);
    assert.match(english.text!, /2 passages, counted per month:/);
    assert.match(english.text!, /^2020-02 +█+ 1$/m);
    assert.match(english.text!, /^2020-03 +0$/m);
    assert.match((await send('/timeline 量子计算', EN)).text!, /No passage of the corpus uses these words/);
    assert.match((await send('/timeline', ZH)).text!, /请在 \/timeline 后面写上话题/);
  });

  it('/speaker shows roles over time, documents, distinctive terms and quotes; a button asks within the speaker’s passages', async () => {
    const profile = await send('/speaker 黄德明', ZH);
    const text = profile.text!;
    assert.match(text, /职务:市民政局局长\(2019-03-15 – 2020-02-20,4 段\); 副市长\(2021-06-18 – 2023-05-10,4 段\)/);
    assert.match(text, /8 段原文,5 份文件,2019-03-15 – 2023-05-10/);
    assert.match(text, /比整个语料更常谈:护理员 · /);
    assert.equal((text.match(/— 黄德明/g) ?? []).length, 3, 'three quotes');
    const buttons = buttonsOf(profile);
    assert.deepEqual(buttons[0], { text: '问:护理员', data: 'sq:0' });
    assert.equal(buttons.length, 4);

    const since = fake.calls.length;
    fake.pressButton(profile, 'sq:0', { userId: ZH.chatId, languageCode: 'zh' });
    const echo = await replyTo(ZH.chatId, profile.message_id, since);
    assert.equal(echo.text, 'speaker:黄德明 护理员');
    const answer = await replyTo(ZH.chatId, echo.message_id, since);
    assert.match(answer.text!, /讲话人:黄德明 · 护理员/);
    assert.match(answer.text!, /护理员/);
    assert.doesNotMatch(answer.text!, /— (?!黄德明)\p{Script=Han}+\(/u, 'only his passages');
  });

  it('/speaker with an ambiguous, misspelt or unknown name offers the closest known names', async () => {
    assert.match((await send('/speaker 刘', ZH)).text!, /「刘」可以指几位讲话人:刘志勇、刘晓光/);
    assert.match((await send('/speaker 黄得明', EN)).text!, /No speaker named "黄得明" in the corpus\. The closest: 黄德明/);
    assert.match((await send('/speaker', EN)).text!, /Write a speaker’s name after \/speaker/);
  });

  it('/compare puts two sides’ passages in turn, pages them, and says when a side is silent or unknown', async () => {
    const first = await send('/compare 黄德明 刘志勇 养老', EN);
    const text = first.text!;
    assert.match(text, /A 黄德明 ↔ B 刘志勇 · 养老/);
    assert.match(text, /A 黄德明: 8 passages · B 刘志勇: 2 passages/);
    assert.ok(text.indexOf('\nA1 — 黄德明') < text.indexOf('\nB1 — 刘志勇') && text.indexOf('\nB1 — 刘志勇') < text.indexOf('\nA2 — 黄德明'));
    assert.deepEqual(buttonsOf(first), [{ text: 'More results', data: 'cmp:3' }]);
    const since = fake.calls.length;
    fake.pressButton(first, 'cmp:3', { userId: EN.chatId, languageCode: 'en' });
    const second = await replyTo(EN.chatId, first.reply_to_message!.message_id, since);
    assert.match(second.text!, /\nA4 — 黄德明/);
    assert.match(second.text!, /B 刘志勇: no more passages\./);

    const parks = await send('/compare 黄德明 003 公园', ZH);
    assert.match(parks.text!, /A 黄德明 ↔ B 来源:003 · 公园/);
    assert.match(parks.text!, /A 黄德明:没有谈到这个话题的原文。/);
    assert.match(parks.text!, /B1 — 赵青山/);
    assert.match((await send('/compare 黄德明 无此人 养老', EN)).text!, /No speaker named "无此人"/);
    assert.match((await send('/compare 黄德明', EN)).text!, /Write two speakers \(or documents\) and a topic, e\.g\. \/compare 黄德明 \S+ /);
    fake.expectNoRejections();
  });
});

describe('the views rendered within Telegram’s limit', () => {
  const long = '养老服务体系建设要统筹推进,'.repeat(300);
  const hit = (id: number, date: string | null): SearchHit => ({
    paragraphId: id, text: long, heading: null, contentHash: `${id}`.padStart(64, '0'), position: id, speaker: { name: '某甲', role: '副市长', attribution: 'label' },
    turn: null, reporter: null, section: { id, index: 1, title: null }, document: { file: `${id}.txt`, title: '标题'.repeat(100), date, source: null },
    rank: id, score: 1, matchedTerms: ['养老'], fragments: [],
  });

  it('a timeline of 24 months of long passages, and a comparison of them, fit in one message', () => {
    const hits = Array.from({ length: 24 }, (_, i) => hit(i + 1, `2020-${String((i % 12) + 1).padStart(2, '0')}-01`));
    const periods = Array.from({ length: 24 }, (_, i) => ({ period: `${2020 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, hits: [hits[i]!] }));
    const view = { granularity: 'month', periods, undated: [hit(99, null)], ordered: [...hits, hit(99, null)], result: { query: '养老', filters: {} } } as unknown as Timeline;
    for (const language of ['zh', 'en'] as const) {
      const page = timelinePage(view, [], 0, messagesFor(language));
      assert.ok(visibleLength(page.html) <= MAX_MESSAGE_LENGTH, `${language}: ${visibleLength(page.html)}`);
      assert.ok(page.next !== null && page.next > 0);
      const sides = [{ side: { kind: 'speaker', name: '某甲' }, hits }, { side: { kind: 'source', source: '001' }, hits }] as never;
      const compared = comparePage('养老', sides, [], 0, messagesFor(language));
      assert.ok(visibleLength(compared.html) <= MAX_MESSAGE_LENGTH, `${language}: ${visibleLength(compared.html)}`);
    }
  });
});
