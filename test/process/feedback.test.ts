/**
 * Readers correct the bot, end to end on the embedded store: button presses
 * through the fake Bot API (private chat, group, inline result) are stored
 * and a second tap changes the vote; "speaker wrong?" asks for the name,
 * whose reply is matched after a restart; the console's + - !N; then
 * `npm run feedback` and its three outputs, a --as-meta stub applied by a
 * rebuild (what `npm run build-index` runs) fixing the speaker, and the
 * feedback still there, following the paragraph it is about, after that
 * rebuild. One bot process (restarted once), `npm run feedback` run once as a
 * process and otherwise in this one, and one small corpus of the test's own.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Message } from 'grammy/types';
import { ConsoleChat } from '../../bot/console/chat.js';
import { openFeedback, openFeedbackStore } from '../../bot/feedback/open-feedback.js';
import type { StoredFlag, StoredVote } from '../../bot/feedback/feedback-store.js';
import { EngineHolder, evalQuestionSchema, openStore, type StoredParagraph } from '../../retrieval/api.js';
import { feedbackCommand } from '../../scripts/feedback.js';
import { buildIndex } from '../../retrieval/api.js';
import type { RetrievalConfig } from '../../retrieval/config.js';
import { startBotAgainst, type StartedProcess } from '../support/bot-process.js';
import { FakeBotApi, type RecordedCall, type TextOptions } from '../support/fake-bot-api/index.js';
import { tempDir, testConfig } from '../support/temp.js';

const READER = { chatId: 5001, languageCode: 'zh' } satisfies TextOptions;
const GROUP = { chatType: 'group', chatId: -5002, languageCode: 'en' } as const;
const INLINE_READER = 5003;
const WAIT = { timeoutMs: 20_000 };
const BUS_QUESTION = '公交车什么时候全部换成新能源';
const PARKING_QUESTION = '停车泊位';

describe('reader feedback (embedded store)', () => {
  let fake: FakeBotApi;
  let bot: StartedProcess;
  let config: RetrievalConfig;
  const env = { EMBEDDING_MODEL: 'none/none' };

  before(async () => {
    const corpus = tempDir('feedback-corpus');
    fs.cpSync('test/fixtures/feedback-corpus', corpus, { recursive: true });
    config = testConfig({ CORPUS_DIR: corpus, INDEX_DIR: tempDir('feedback-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    fake = await FakeBotApi.start();
    bot = await startBotAgainst(fake, config, env, 'deleteWebhook');
  });

  after(async () => {
    await bot?.stop();
    await fake?.close();
  });

  async function stored(): Promise<{ votes: StoredVote[]; flags: StoredFlag[] }> {
    const store = openFeedbackStore(config);
    try {
      return { votes: await store.votes(), flags: await store.flags() };
    } finally {
      await store.close();
    }
  }

  async function ask(text: string, options: TextOptions): Promise<Message> {
    const since = fake.calls.length;
    const asked = fake.sendText(text, options).message!;
    await fake.waitForCall(
      (c) => c.method === 'sendMessage' && (c.params['reply_parameters'] as { message_id?: number } | undefined)?.message_id === asked.message_id,
      { since, ...WAIT },
    );
    return fake.lastSentMessage(asked.chat.id)!;
  }

  /** Presses a button and returns the bot's answer to the press (answerCallbackQuery). */
  async function press(message: Message, data: string, options: { userId?: number; languageCode?: string; allowMissingButton?: boolean } = {}) {
    const since = fake.calls.length;
    const id = fake.pressButton(message, data, { languageCode: READER.languageCode, ...options }).callback_query!.id;
    return fake.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params['callback_query_id'] === id, { since, ...WAIT });
  }

  const callbackData = (message: Message) =>
    (message.reply_markup?.inline_keyboard ?? []).flat().flatMap((b) => ('callback_data' in b ? [b.callback_data] : []));

  /** The context of quote 1, then "speaker wrong?" on it: the press's answer and the prompt that follows. */
  async function flagFirstQuote(answer: Message, userId?: number): Promise<{ answered: RecordedCall; prompt: RecordedCall }> {
    const since = fake.calls.length;
    const contextData = callbackData(answer).find((d) => d.startsWith('ctx:'))!;
    await press(answer, contextData, { userId, languageCode: answer.chat.type === 'private' ? 'zh' : 'en' });
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === answer.chat.id, { since, ...WAIT });
    const context = fake.lastSentMessage(answer.chat.id)!;
    const flag = callbackData(context).find((d) => d.startsWith('spw:'));
    assert.equal(flag, `spw:${contextData.slice(4)}`, 'the context has a "speaker wrong?" button for the quote');
    const pressed = fake.calls.length;
    const answered = await press(context, flag!, { userId, languageCode: answer.chat.type === 'private' ? 'zh' : 'en' });
    const prompt = await fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === answer.chat.id, { since: pressed, ...WAIT });
    return { answered, prompt };
  }

  let busAnswer: Message;
  let flaggedHash = '';

  it('stores 👍/👎 under an answer, and a second tap changes the vote', async () => {
    busAnswer = await ask(BUS_QUESTION, READER);
    const data = callbackData(busAnswer);
    assert.ok(data.includes('up:0') && data.includes('dn:0'), data.join(' '));
    assert.ok(data.every((d) => Buffer.byteLength(d) <= 64));

    assert.match(String((await press(busAnswer, 'dn:0')).params['text']), /谢谢.*👎/);
    let { votes } = await stored();
    assert.equal(votes.length, 1);
    const [vote] = votes;
    assert.equal(vote!.vote, -1);
    assert.equal(vote!.question, BUS_QUESTION);
    assert.equal(vote!.channel, 'private');
    const quoted = data.filter((d) => d.startsWith('ctx:')).map((d) => d.slice(4));
    assert.deepEqual(vote!.shown.map((s) => s.position), quoted.map((_, i) => i + 1));
    assert.ok(vote!.shown.every((s, i) => s.hash.length === 64 && s.hash.startsWith(quoted[i]!)), 'full content hashes of the quotes shown');

    assert.match(String((await press(busAnswer, 'up:0')).params['text']), /已改为 👍/);
    assert.match(String((await press(busAnswer, 'up:0')).params['text']), /已记下 👍/);
    ({ votes } = await stored());
    assert.deepEqual(votes.map((v) => v.vote), [1], 'still one vote, now 👍');
    const raw = fs.readFileSync(path.join(config.INDEX_DIR, 'feedback.sqlite'));
    assert.ok(!raw.includes(String(READER.chatId)) && !raw.includes(`user${READER.chatId}`), 'no user id, no username');
    fake.expectNoRejections();
  });

  it('answers stale and garbled buttons politely', async () => {
    for (const data of ['dn:x', 'spw:000000000000', 'iup:zz']) {
      const answered = await press(busAnswer, data, { allowMissingButton: true });
      assert.equal(answered.params['show_alert'], true, data);
      assert.ok(String(answered.params['text']).length > 0, data);
    }
    fake.expectNoRejections();
  });

  it('"speaker wrong?" asks for the right name, and a reply after a restart still reaches it', async () => {
    const { answered, prompt } = await flagFirstQuote(busAnswer);
    assert.match(String(answered.params['text']), /已标记/);
    assert.match(String(prompt.params['text']), /回复本消息/);
    assert.equal((prompt.params['reply_markup'] as { force_reply?: boolean }).force_reply, true);
    const [flag] = (await stored()).flags;
    assert.equal(flag?.speakerShown, '周立军');
    assert.equal(flag?.attributionShown, 'label');
    assert.equal(flag?.suggestedName, null);
    flaggedHash = flag!.contentHash;

    await bot.stop();
    bot = await startBotAgainst(fake, config, env, 'deleteWebhook');
    const since = fake.calls.length;
    fake.sendText('吴海燕', { ...READER, replyToBot: true });
    const thanks = await fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === READER.chatId, { since, ...WAIT });
    assert.match(String(thanks.params['text']), /已记下:吴海燕/);
    assert.equal((await stored()).flags[0]?.suggestedName, '吴海燕');
    fake.expectNoRejections();
  });

  it('works in a group: each member votes, and only the reader who flagged names the speaker', async () => {
    const answer = await ask(`/ask ${PARKING_QUESTION}`, { ...GROUP, userId: 6001 });
    await press(answer, 'dn:0', { userId: 6001 });
    await press(answer, 'dn:0', { userId: 6002 });
    const { prompt } = await flagFirstQuote(answer, 6001);
    assert.match(String(prompt.params['text']), /tg:\/\/user\?id=6001/, 'the prompt mentions the reader, so that only they are asked');

    const other = fake.sendText('Somebody Else', { ...GROUP, userId: 6002, replyToBot: true }).message!;
    const since = fake.calls.length;
    fake.sendText('郑美玲', { ...GROUP, userId: 6001, replyToBot: true });
    const thanks = await fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === GROUP.chatId, { since, ...WAIT });
    assert.match(String(thanks.params['text']), /Noted: 郑美玲/);
    const replies = fake.sentMessages(GROUP.chatId).filter((m) => m.reply_to_message?.message_id === other.message_id);
    assert.deepEqual(replies, [], 'another member\'s reply to the prompt is neither a name nor a question');

    const { votes, flags } = await stored();
    assert.deepEqual(votes.filter((v) => v.channel === 'group').map((v) => [v.question, v.vote]), [[PARKING_QUESTION, -1], [PARKING_QUESTION, -1]]);
    assert.deepEqual(flags.filter((f) => f.channel === 'group').map((f) => f.suggestedName), ['郑美玲']);
    fake.expectNoRejections();
  });

  it('puts the buttons on inline results; a flag there links to the private chat for the name', async () => {
    const since = fake.calls.length;
    fake.inlineQuery(PARKING_QUESTION, { userId: INLINE_READER, languageCode: 'zh' });
    const call = await fake.waitForCall((c) => c.method === 'answerInlineQuery', { since, ...WAIT });
    const results = (typeof call.params['results'] === 'string' ? JSON.parse(call.params['results']) : call.params['results']) as {
      reply_markup: { inline_keyboard: { callback_data: string }[][] };
    }[];
    const data = results[0]!.reply_markup.inline_keyboard.flat().map((b) => b.callback_data);
    const hash = data[0]!.slice(4);
    assert.deepEqual(data, [`iup:${hash}`, `idn:${hash}`, `spw:${hash}`]);

    const pressInline = async (button: string) => {
      const from = fake.calls.length;
      const id = fake.pressInlineButton('inline-message-1', button, { userId: INLINE_READER, languageCode: 'zh' }).callback_query!.id;
      return fake.waitForCall((c) => c.method === 'answerCallbackQuery' && c.params['callback_query_id'] === id, { since: from, ...WAIT });
    };
    await pressInline(`iup:${hash}`);
    assert.match(String((await pressInline(`idn:${hash}`)).params['text']), /已改为 👎/);
    const link = String((await pressInline(`spw:${hash}`)).params['url']);
    assert.equal(link, `https://t.me/fake_test_bot?start=spw-${hash}`);

    const opened = fake.calls.length;
    fake.sendText(`/start spw-${hash}`, { chatId: INLINE_READER, languageCode: 'zh' });
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === INLINE_READER, { since: opened, ...WAIT });
    const named = fake.calls.length;
    fake.sendText('郑美玲', { chatId: INLINE_READER, languageCode: 'zh', replyToBot: true });
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === INLINE_READER, { since: named, ...WAIT });

    const { votes, flags } = await stored();
    const inline = votes.filter((v) => v.channel === 'inline');
    assert.deepEqual(inline.map((v) => [v.question, v.vote, v.shown.length]), [[null, -1, 1]]);
    assert.ok(inline[0]!.shown[0]!.hash.startsWith(hash));
    assert.deepEqual(flags.filter((f) => f.channel === 'inline').map((f) => f.suggestedName), ['郑美玲']);
    fake.expectNoRejections();
  });

  it('takes + and !N name in the console chat', async () => {
    const output = new PassThrough();
    let out = '';
    output.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const input = Readable.from([`-\n${BUS_QUESTION}\n-\n!1 吴海燕\n!9\n`]);
    const chat = new ConsoleChat({ input, output, logs: new PassThrough() }, 'en');
    await chat.run(await EngineHolder.open(config, { recoverAtOnce: false }), await openFeedback(config, undefined));
    assert.match(out, /Nothing to rate yet/);
    assert.match(out, /» .*\+ helpful · - not helpful · !N \[name\]: the speaker of quote N is wrong/);
    assert.match(out, /Thanks! Noted 👎/);
    assert.match(out, /speaker of quote 1 is flagged for review; suggested: 吴海燕/);
    assert.match(out, /There is no quote 9/);
    const { votes, flags } = await stored();
    assert.deepEqual(votes.filter((v) => v.channel === 'console').map((v) => [v.question, v.vote]), [[BUS_QUESTION, -1]]);
    assert.deepEqual(flags.filter((f) => f.channel === 'console').map((f) => [f.contentHash, f.suggestedName]), [[flaggedHash, '吴海燕']]);
  });

  /** `npm run feedback` as a process. */
  async function feedbackScript(...args: string[]): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/feedback.ts', ...args], {
      env: { ...process.env, CORPUS_DIR: config.CORPUS_DIR, INDEX_DIR: config.INDEX_DIR },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, err);
    return out;
  }

  it('npm run feedback reports the 👎 questions and the flagged passages, as text and as JSON lines', async () => {
    const report = await feedbackScript();
    const worst = report.slice(report.indexOf('## Worst-rated'), report.indexOf('## Passages flagged'));
    assert.ok(worst.indexOf(`2 👎 0 👍  ${PARKING_QUESTION}`) >= 0, worst);
    assert.ok(worst.indexOf(PARKING_QUESTION) < worst.indexOf(BUS_QUESTION), 'worst first');
    assert.match(worst, /1\. 停车方面.*\n {6}— 郑美华\(市城管局副局长\) \[label\] · 001_transport\.txt .* section 2 · paragraph 1/);
    assert.match(worst, /\(inline result/);
    const flagged = report.slice(report.indexOf('## Passages flagged'));
    assert.match(flagged, /2 flags · .*\n.*001_transport\.txt .* section 1 · paragraph 2\n.*下一步要推进新能源公交车更新.*\n.*speaker now: 周立军\(市交通运输局局长\) \[label\]\n.*shown to readers as: 周立军 \[label\]\n.*suggested: 吴海燕 \(2\)/);
    assert.match(flagged, /suggested: 郑美玲 \(2\)/);

    const lines = (await feedbackCommand(config, ['--jsonl'])).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const parking = lines.find((l) => l['type'] === 'question' && l['question'] === PARKING_QUESTION)!;
    assert.equal(parking['down'], 2);
    const flag = lines.find((l) => l['type'] === 'flag' && l['contentHash'] === flaggedHash)!;
    assert.deepEqual(flag['suggestedNames'], [{ name: '吴海燕', count: 2 }]);
    assert.deepEqual(flag['speaker'], { name: '周立军', role: '市交通运输局局长', attribution: 'label' });
    assert.deepEqual(flag['section'], { index: 1, title: null });
  });

  it('--as-eval writes the 👎 questions in the dev question-set format, once', async () => {
    const file = path.join(tempDir('feedback-eval'), 'from-readers.jsonl');
    fs.writeFileSync(file, `${JSON.stringify({ id: 'x1', q: BUS_QUESTION, lang: 'zh', kind: 'fact', gold: ['纯电动公交车两百辆'] })}\n`);
    assert.match(await feedbackCommand(config, ['--as-eval', file]), /1 question rated 👎 added \(gold left to fill\), 1 already there/);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l['q']), [BUS_QUESTION, PARKING_QUESTION], 'a question already there is kept as it was, none is added twice');
    assert.deepEqual(lines[0]!['gold'], ['纯电动公交车两百辆']);
    const added = evalQuestionSchema.parse(lines[1]);
    assert.deepEqual(added.gold, []);
    assert.equal(added.lang, 'zh');
    assert.equal(added.speaker, undefined, 'the speaker is not judged until someone fills it in');
    assert.match(String(lines[1]!['id']), /^fb-[0-9a-f]{8}$/);
  });

  it('an --as-meta stub applied with npm run build-index fixes the speaker, and the feedback follows its paragraph through the rebuild', async () => {
    const transport = path.join(config.CORPUS_DIR, '001_transport.txt');
    fs.writeFileSync(`${transport}.meta.json`, `${JSON.stringify({ date: '2024-05-01' })}\n`);
    const out = await feedbackCommand(config, ['--as-meta', config.CORPUS_DIR]);
    assert.match(out, /section 1: speaker 吴海燕/);
    assert.deepEqual(JSON.parse(fs.readFileSync(`${transport}.meta.json`, 'utf8')), {
      date: '2024-05-01',
      sections: [{ index: 1, speaker: { name: '吴海燕', role: null } }, { index: 2, speaker: { name: '郑美玲', role: null } }],
    });
    // The flagged paragraph moves down one: a paragraph is added before it.
    const text = fs.readFileSync(transport, 'utf8');
    fs.writeFileSync(transport, text.replace('下一步要推进', '公交专用道今年新增二十公里。\n\n下一步要推进'));

    assert.deepEqual((await buildIndex(config)).warnings, [], 'the stub is a valid meta file');

    const store = openStore(config);
    let paragraph: StoredParagraph | null;
    try {
      const reader = await store.open(await store.currentGeneration());
      paragraph = await reader.paragraphByHash(flaggedHash);
      await reader.close();
    } finally {
      await store.close();
    }
    assert.deepEqual(paragraph?.speaker, { name: '吴海燕', role: null, attribution: 'meta' });
    assert.equal(paragraph?.position, 3);

    const lines = (await feedbackCommand(config, ['--jsonl'])).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const flag = lines.find((l) => l['type'] === 'flag' && l['contentHash'] === flaggedHash)!;
    assert.equal(flag['paragraph'], 3, 'found where it moved');
    assert.deepEqual(flag['speaker'], { name: '吴海燕', role: null, attribution: 'meta' });
    assert.equal(lines.find((l) => l['question'] === PARKING_QUESTION)?.['down'], 2, 'votes survive the rebuild');
    assert.match(await feedbackCommand(config, []), /speaker now: 吴海燕 \[meta\] — as suggested/);
  });
});
