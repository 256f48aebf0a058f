import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Bot, GrammyError, InlineKeyboard } from 'grammy';
import { run } from '@grammyjs/runner';
import type { Message } from 'grammy/types';
import { retryTransformer } from '../bot/telegram/retry.js';
import { DEFAULT_TOKEN, FakeBotApi, parseTelegramHtml } from './support/fake-bot-api/index.js';
import { waitUntil } from './support/wait.js';

const CHAT = 1001;

function botFor(fake: FakeBotApi, token = DEFAULT_TOKEN): Bot {
  return new Bot(token, { client: { apiRoot: fake.apiRoot } });
}

/** Asserts that `call` fails with `code` (400 unless given) and a matching description, and that the fake recorded it. */
async function assertRejected(fake: FakeBotApi, call: Promise<unknown>, description: RegExp | string, code = 400) {
  const before = fake.rejections.length;
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof GrammyError, `expected a GrammyError, got ${String(error)}`);
    assert.equal(error.error_code, code);
    if (typeof description === 'string') assert.equal(error.description, description);
    else assert.match(error.description, description);
    return true;
  });
  assert.equal(fake.rejections.length, before + 1);
  fake.takeRejections();
}

describe('FakeBotApi with grammY', () => {
  let fake: FakeBotApi;
  let bot: Bot;

  before(async () => {
    fake = await FakeBotApi.start();
    bot = botFor(fake);
    fake.sendText('hello'); // makes CHAT known to the fake
  });
  after(() => fake.close());

  test('valid HTML is accepted and stored as plain text with entities', async () => {
    const html =
      '<b>bold</b> <i>it</i> <a href="https://example.com/?a=1&amp;b=2">link</a> &lt;3 &#128512; &#x41;' +
      '<pre><code class="language-ts">const x = 1;</code></pre><blockquote expandable>quote</blockquote>' +
      '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>';
    const sent = await bot.api.sendMessage(CHAT, html, { parse_mode: 'HTML' });
    assert.equal(sent.text, 'bold it link <3 😀 Aconst x = 1;quotest');
    assert.deepEqual(sent.entities?.find((e) => e.type === 'pre'), { type: 'pre', offset: 20, length: 12, language: 'ts' });
    assert.ok(sent.entities?.some((e) => e.type === 'expandable_blockquote'));
    assert.equal(fake.lastSentMessage(CHAT)?.message_id, sent.message_id);
    fake.expectNoRejections();
  });

  const invalidHtml: [string, string, RegExp | string][] = [
    ['an unclosed tag', '<b>bold', `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`],
    ['an unsupported tag', 'a <foo>x</foo>', `Bad Request: can't parse entities: Unsupported start tag "foo" at byte offset 2`],
    ['a bare <', 'if a < b then', /^Bad Request: can't parse entities: Unsupported start tag "" at byte offset 5$/],
    ['&nbsp;', 'a&nbsp;b', /^Bad Request: can't parse entities: .*&nbsp;/],
    ['a bare &', 'Q & A', /^Bad Request: can't parse entities: /],
    ['misnested tags', '<b><i>x</b></i>', /Unmatched end tag at byte offset 7, expected "<\/i>", found "<\/b>"/],
    ['nested blockquotes', '<blockquote>a<blockquote>b</blockquote></blockquote>', /^Bad Request: can't parse entities: /],
    ['a span without the spoiler class', '<span>x</span>', /Tag "span" must have class "tg-spoiler"/],
  ];
  for (const [name, text, description] of invalidHtml) {
    test(`HTML with ${name} is rejected`, async () => {
      await assertRejected(fake, bot.api.sendMessage(CHAT, text, { parse_mode: 'HTML' }), description);
    });
  }

  test('text length is checked after parsing, in UTF-16 code units', async () => {
    await assertRejected(fake, bot.api.sendMessage(CHAT, 'x'.repeat(4097)), 'Bad Request: message is too long');
    await assertRejected(fake, bot.api.sendMessage(CHAT, '😀'.repeat(2049)), 'Bad Request: message is too long');
    await assertRejected(fake, bot.api.sendMessage(CHAT, '<b></b>', { parse_mode: 'HTML' }), 'Bad Request: message text is empty');
    await assertRejected(fake, bot.api.sendMessage(CHAT, '  \n '), 'Bad Request: message text is empty');

    const escaped = await bot.api.sendMessage(CHAT, '&lt;'.repeat(1024), { parse_mode: 'HTML' });
    assert.equal(escaped.text, '<'.repeat(1024));
    const atLimit = await bot.api.sendMessage(CHAT, `<b>${'&lt;'.repeat(4096)}</b>`, { parse_mode: 'HTML' });
    assert.equal(atLimit.text.length, 4096);
    await bot.api.sendMessage(CHAT, 'x'.repeat(4096));
    fake.expectNoRejections();
  });

  test('callback data is limited to 64 UTF-8 bytes', async () => {
    const keyboard = (data: string) => ({ reply_markup: new InlineKeyboard().text('Go', data) });
    await bot.api.sendMessage(CHAT, 'ok', keyboard('x'.repeat(64)));
    await bot.api.sendMessage(CHAT, 'ok', keyboard('中'.repeat(21)));
    await assertRejected(fake, bot.api.sendMessage(CHAT, 'no', keyboard('x'.repeat(65))), 'Bad Request: BUTTON_DATA_INVALID');
    await assertRejected(fake, bot.api.sendMessage(CHAT, 'no', keyboard('中'.repeat(22))), 'Bad Request: BUTTON_DATA_INVALID');
  });

  test('inline buttons need text and exactly one action', async () => {
    const send = (button: object) => bot.api.sendMessage(CHAT, 'x', { reply_markup: { inline_keyboard: [[button as never]] } });
    await assertRejected(fake, send({ callback_data: 'a' }), `Bad Request: can't parse inline keyboard button: Can't find field "text"`);
    await assertRejected(fake, send({ text: 'a' }), 'Bad Request: text buttons are unallowed in the inline keyboard');
    await assertRejected(fake, send({ text: 'a', callback_data: 'a', url: 'https://example.com' }), /exactly one/);
  });

  test('an unknown chat is rejected', async () => {
    await assertRejected(fake, bot.api.sendMessage(424242, 'hi'), 'Bad Request: chat not found');
  });

  test('editMessageText edits the stored message and refuses no-op edits', async () => {
    const markup = new InlineKeyboard().text('A', 'a');
    const sent = await bot.api.sendMessage(CHAT, 'before', { reply_markup: markup });
    const edited = await bot.api.editMessageText(CHAT, sent.message_id, '<b>after</b>', { parse_mode: 'HTML', reply_markup: markup });
    assert.equal((edited as Message).text, 'after');
    assert.equal(fake.sentMessages(CHAT).find((m) => m.message_id === sent.message_id)?.text, 'after');

    await assertRejected(
      fake,
      bot.api.editMessageText(CHAT, sent.message_id, '<b>after</b>', { parse_mode: 'HTML', reply_markup: markup }),
      /^Bad Request: message is not modified: specified new message content and reply markup are exactly the same/,
    );
    await assertRejected(fake, bot.api.editMessageText(CHAT, 99_999, 'x'), 'Bad Request: message to edit not found');
  });

  test('callback queries are answered once, with at most 200 characters', async () => {
    const sent = await bot.api.sendMessage(CHAT, 'pick', { reply_markup: new InlineKeyboard().text('Yes', 'yes') });
    const update = fake.pressButton(sent, 'yes');
    const id = update.callback_query!.id;
    await assertRejected(fake, bot.api.answerCallbackQuery(id, { text: 'x'.repeat(201) }), 'Bad Request: MESSAGE_TOO_LONG');
    await bot.api.answerCallbackQuery(id, { text: 'ok' });
    await assertRejected(fake, bot.api.answerCallbackQuery(id), /query ID is invalid/);
    assert.throws(() => fake.pressButton(sent, 'no'), /no button/);
  });

  test('answerInlineQuery validates results', async () => {
    const article = (id: string, text: string) => ({
      type: 'article' as const,
      id,
      title: 'T',
      input_message_content: { message_text: text, parse_mode: 'HTML' as const },
    });
    const queryId = () => fake.inlineQuery('q').inline_query!.id;
    await bot.api.answerInlineQuery(queryId(), [article('1', '<b>ok</b>')]);
    await assertRejected(fake, bot.api.answerInlineQuery(queryId(), [article('1', 'a'), article('1', 'b')]), 'Bad Request: RESULT_ID_DUPLICATE');
    await assertRejected(fake, bot.api.answerInlineQuery(queryId(), [article('1', '<b>x')]), /can't parse entities/);
    const many = Array.from({ length: 51 }, (_, i) => article(String(i), 'x'));
    await assertRejected(fake, bot.api.answerInlineQuery(queryId(), many), 'Bad Request: RESULTS_TOO_MUCH');
    await assertRejected(fake, bot.api.answerInlineQuery('nope', []), /query is too old/);
  });

  test('setMyCommands validates and records commands per language', async () => {
    await bot.api.setMyCommands([{ command: 'ask', description: 'Ask a question' }], { language_code: 'ru' });
    assert.deepEqual(fake.myCommands('ru'), [{ command: 'ask', description: 'Ask a question' }]);
    assert.deepEqual(await bot.api.getMyCommands({ language_code: 'ru' }), [{ command: 'ask', description: 'Ask a question' }]);
    await assertRejected(fake, bot.api.setMyCommands([{ command: 'Ask-Me', description: 'x' }]), 'Bad Request: BOT_COMMAND_INVALID');
    await assertRejected(fake, bot.api.setMyCommands([{ command: 'ask', description: ' ' }]), 'Bad Request: command description must be non-empty');
  });

});

describe('fault injection', () => {
  let fake: FakeBotApi;
  before(async () => {
    fake = await FakeBotApi.start();
    fake.sendText('hi'); // makes CHAT known to the fake
  });
  after(() => fake.close());

  const fastRetries = { attempts: 8, baseDelayMs: 10, maxDelayMs: 50, totalMs: 5_000, messagesPerSecond: Infinity };

  test('429, 500, the 502 HTML page and dropped connections are retried and one message is delivered', async () => {
    const bot = botFor(fake);
    bot.api.config.use(retryTransformer(fastRetries));
    const [sentBefore, failuresBefore, callsBefore] = [fake.sentMessages(CHAT).length, fake.injectedFailures.length, fake.callsOf('sendMessage').length];
    fake.failNext('sendMessage', [{ code: 429, retryAfter: 1 }, { code: 500 }, { code: 'html502' }, { drop: 'before' }, { delayMs: 50 }]);

    const sent = await bot.api.sendMessage(CHAT, 'persistent');
    assert.equal(sent.text, 'persistent');
    assert.equal(fake.sentMessages(CHAT).length - sentBefore, 1);
    assert.deepEqual(fake.injectedFailures.slice(failuresBefore).map((f) => JSON.stringify(f.error)), [
      '{"code":429,"retryAfter":1}', '{"code":500}', '{"code":"html502"}', '{"drop":"before"}', '{"delayMs":50}',
    ]);
    assert.equal(fake.callsOf('sendMessage').length - callsBefore, 1);
    fake.expectNoRejections();
  });

  test('a connection dropped after the call took effect: the retry sends the message a second time', async () => {
    const bot = botFor(fake);
    bot.api.config.use(retryTransformer(fastRetries));
    const before = fake.sentMessages(CHAT).length;
    fake.failNext('sendMessage', [{ drop: 'after' }]);
    await bot.api.sendMessage(CHAT, 'twice');
    assert.equal(fake.sentMessages(CHAT).length - before, 2, 'Telegram has no idempotency key: this duplicate cannot be avoided');
  });

  test('retries are bounded: the last error is thrown after the attempts', async () => {
    const bot = botFor(fake);
    bot.api.config.use(retryTransformer({ ...fastRetries, attempts: 3 }));
    const failuresBefore = fake.injectedFailures.length;
    fake.failNext('sendMessage', [{ code: 500 }, { code: 500 }, { code: 500 }, { code: 500 }]);
    await assert.rejects(bot.api.sendMessage(CHAT, 'never'), (error: unknown) => error instanceof GrammyError && error.error_code === 500);
    assert.equal(fake.injectedFailures.length - failuresBefore, 3);
    await bot.api.sendMessage(CHAT, 'the fourth failure is still queued, then it works');
    assert.equal(fake.injectedFailures.length - failuresBefore, 4);
  });

  test('past messagesPerSecond, sending calls are answered 429 with retry_after 1', async () => {
    const limited = await FakeBotApi.start({ messagesPerSecond: 3 });
    try {
      limited.sendText('hi');
      const api = botFor(limited).api;
      const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => api.sendMessage(CHAT, `n${n}`)));
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as GrammyError);
      assert.equal(refused.length, 2);
      assert.ok(refused.every((e) => e.error_code === 429 && e.parameters.retry_after === 1));
      assert.equal(limited.throttled, 2);
    } finally {
      await limited.close();
    }
  });

});

describe('getUpdates', () => {
  let fake: FakeBotApi;
  before(async () => {
    fake = await FakeBotApi.start();
  });
  after(() => fake.close());

  test('long polling returns a pushed update and honours offset', async () => {
    const api = botFor(fake).api;
    const polling = api.getUpdates({ timeout: 5 });
    setTimeout(() => fake.sendText('/start', { languageCode: 'ru' }), 50);
    const [update] = await polling;
    assert.ok(update?.message);
    assert.equal(update.message.text, '/start');
    assert.deepEqual(update.message.entities, [{ type: 'bot_command', offset: 0, length: 6 }]);

    assert.equal((await api.getUpdates({ offset: update.update_id })).length, 1, 'not yet confirmed');
    assert.deepEqual(await api.getUpdates({ offset: update.update_id + 1 }), []);
    assert.deepEqual(await api.getUpdates(), [], 'confirmed updates are gone');
  });

});

describe('bots running against the fake', () => {
  let fake: FakeBotApi;
  before(async () => {
    fake = await FakeBotApi.start();
  });
  after(() => fake.close());

  test('media, location and edit helpers produce updates grammY understands', async () => {
    const bot = botFor(fake);
    const seen: string[] = [];
    bot.on('message:sticker', (ctx) => void seen.push(`sticker ${ctx.message.sticker.emoji}`));
    bot.on('message:photo', (ctx) => void seen.push(`photo ${ctx.message.photo.length} ${ctx.message.caption}`));
    bot.on('message:location', (ctx) => void seen.push(`location ${ctx.message.location.latitude}`));
    bot.on('message:voice', async (ctx) => {
      const file = await ctx.getFile();
      const response = await fetch(`${fake.apiRoot}/file/bot${DEFAULT_TOKEN}/${file.file_path}`);
      seen.push(`voice ${(await response.arrayBuffer()).byteLength}`);
    });
    bot.on('edited_message:text', (ctx) => void seen.push(`edited ${ctx.editedMessage.text}`));
    bot.on('message:text', () => undefined);

    const original = fake.sendText('typo').message!;
    fake.sendSticker({ emoji: '🔥' });
    fake.sendPhoto({ caption: 'look' });
    fake.sendLocation(52.5, 13.4);
    fake.sendVoice({ data: new Uint8Array(10) });
    fake.editMessage(original, 'fixed');

    const handle = run(bot);
    await waitUntil(() => seen.length >= 5, 'grammY to handle the five updates', 10_000);
    await handle.stop();
    // The runner handles updates concurrently, so the voice download may finish last.
    assert.deepEqual(seen.sort(), ['edited fixed', 'location 52.5', 'photo 3 look', 'sticker 🔥', 'voice 10']);
    fake.expectNoRejections();
  });

  test('waitForCall explains what it saw when it times out', async () => {
    fake.sendText('hi');
    await botFor(fake).api.sendMessage(CHAT, 'a call it saw');
    await assert.rejects(fake.waitForCall((c) => c.method === 'sendPoll', { timeoutMs: 50 }), /No matching call within 50 ms[\s\S]*sendMessage/);
  });
});

describe('parseTelegramHtml', () => {
  test('decodes entities, tolerates > and counts UTF-16 offsets', () => {
    const parsed = parseTelegramHtml('😀 <b>a&amp;b</b> 1 > 0 &quot;q&quot;');
    assert.equal(parsed.text, '😀 a&b 1 > 0 "q"');
    assert.deepEqual(parsed.entities, [{ type: 'bold', offset: 3, length: 3 }]);
  });

  test('lenient mode keeps unknown entities literally, like Telegram', () => {
    assert.equal(parseTelegramHtml('a&nbsp;b & c', { strictEntities: false }).text, 'a&nbsp;b & c');
  });
});
