import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SearchHit } from '../retrieval/search/search.js';
import { decodeCallbackData, encodeCallbackData, MAX_CALLBACK_DATA_BYTES, type CallbackData } from '../bot/presentation/callback-data.js';
import fs from 'node:fs';
import { botConfigSchema } from '../bot/telegram/config.js';
import { retrievalConfigSchema } from '../retrieval/config.js';
import {
  answerHtml, answerText, citationHtml, citationText, contextHtml, excerptAround, inlineArticle,
  MAX_MESSAGE_LENGTH, quoteHtml, type Answer,
} from '../bot/presentation/format.js';
import { escapeHtml } from '../bot/presentation/html.js';
import { languageOf, messagesFor } from '../bot/presentation/i18n.js';
import { questionText } from '../bot/telegram/question-text.js';
import { parseTelegramHtml } from './support/fake-bot-api/index.js';

const zh = messagesFor('zh');
const en = messagesFor('en');

function hit(overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    paragraphId: 22, rank: 1, score: 1, position: 3, heading: null, reporter: '白萍', matchedTerms: [], fragments: [], turn: null,
    text: '二是模式多样化。他们的社区助餐点有四种模式:单一法人下的多学校(校区)模式。',
    contentHash: '642844b73bf0fd8d27eea2f5f2aee1239fcd2fa30e8462f8bfa61837db0cf6e2',
    speaker: { name: '郑平', role: '市民政局副局长', attribution: 'label' },
    section: { id: 6, index: 6, title: '促进社区助餐点健康有序发展' },
    document: { file: '000_x.txt', title: '居家养老服务推进会讨论发言摘要', date: null, source: null },
    ...overrides,
  };
}

/** What Telegram shows: the text after parsing the HTML (throws where Telegram would reject it). */
const shown = (html: string) => parseTelegramHtml(html).text;

describe('HTML escaping', () => {
  it('escapes tags, ampersands and quotes so they show as typed', () => {
    const html = escapeHtml('<b>养老</b> & 教育 "x"');
    assert.equal(html, '&lt;b&gt;养老&lt;/b&gt; &amp; 教育 &quot;x&quot;');
    assert.equal(shown(html), '<b>养老</b> & 教育 "x"');
  });

  it('escapes the question and the quotes in an answer', () => {
    const question = '<b>养老</b> & 教育';
    const answer: Answer = { kind: 'found', question, filters: {}, notes: [], hits: [hit({ text: 'a < b && c > d' })], offset: 0, total: 1 };
    const text = shown(answerHtml(answer, zh).html);
    assert.ok(text.includes(question));
    assert.ok(text.includes('a < b && c > d'));
  });
});

describe('quotes and citations', () => {
  it('quotes a short paragraph whole', () => {
    const html = quoteHtml(hit().text, ['社区助餐点', '模式'], { window: 400 });
    assert.equal(
      html,
      '<blockquote>二是<b>模式</b>多样化。他们的<b>社区助餐点</b>有四种<b>模式</b>:单一法人下的多学校(校区)<b>模式</b>。</blockquote>',
    );
    assert.equal(shown(html), hit().text, 'the quote stays verbatim');
  });

  it('shows a long paragraph once: the part around the match, matched terms in bold', () => {
    const text = `${'甲'.repeat(900)}。社区助餐点有四种模式。${'乙'.repeat(900)}`;
    const parsed = parseTelegramHtml(quoteHtml(text, ['社区助餐点', '模式'], { window: 200 }));
    assert.deepEqual(parsed.entities.map((e) => e.type), ['blockquote', 'bold', 'bold']);
    assert.ok(parsed.text.includes('社区助餐点有四种模式'), parsed.text);
    assert.ok(parsed.text.startsWith('…') && parsed.text.endsWith('…'));
    assert.ok(parsed.text.length <= 202, 'no second, full copy of the paragraph');
  });

  it('starts the excerpt at the beginning of the sentence when that is close', () => {
    const text = `${'甲'.repeat(300)}。前面的话,社区助餐点有四种模式。${'乙'.repeat(300)}`;
    assert.ok(excerptAround(text, ['社区助餐点'], 100).startsWith('…前面的话'));
  });

  it('names speaker and role, section, document, and says when the date is unknown', () => {
    assert.equal(
      citationText(hit(), zh),
      '— 郑平(市民政局副局长) · 《促进社区助餐点健康有序发展》 · 《居家养老服务推进会讨论发言摘要》 · 日期不详',
    );
    assert.ok(citationText(hit(), en).endsWith('date unknown'));
    assert.ok(citationHtml(hit(), zh).includes('<b>郑平</b>'));
  });

  it('says unsigned without a speaker, and marks inferred speakers', () => {
    assert.ok(citationText(hit({ speaker: null }), zh).startsWith('— 未署名 ·'));
    assert.ok(citationText(hit({ speaker: null }), en).startsWith('— unsigned ·'));
    assert.ok(citationText(hit({ speaker: null, turn: 'question', reporter: null }), zh).startsWith('— 未署名(提问) ·'));
    // A reporter's question names the reporter who asked it.
    assert.ok(citationText(hit({ speaker: null, turn: 'question', reporter: '新华社记者' }), zh).startsWith('— 新华社记者(提问) ·'));
    const inferred = hit({ speaker: { name: '吴宏发', role: '市发改委副主任', attribution: 'header-list' } });
    assert.ok(citationText(inferred, zh).includes('吴宏发(市发改委副主任)(据发布会名单)'));
  });

  it('gives the date and source when known', () => {
    const dated = hit({ document: { file: 'f', title: 'T', date: '2021-08-02', source: '市政府网' } });
    assert.ok(citationText(dated, zh).endsWith('《T》 · 市政府网 · 2021-08-02'));
  });
});

describe('the 4096-character limit', () => {
  const long = (n: number) => `${'很长的段落,'.repeat(Math.ceil(n / 6)).slice(0, n)}<&>`;

  it('fits many long passages by shortening them, never breaking a tag or an entity', () => {
    const hits = Array.from({ length: 10 }, (_, i) => hit({ rank: i + 1, text: long(3000), contentHash: `${i}`.repeat(64) }));
    const reply = answerHtml({ kind: 'found', question: '长'.repeat(600), filters: {}, notes: ['note'], hits, offset: 0, total: 40 }, zh);
    const parsed = parseTelegramHtml(reply.html); // throws on a broken tag or entity
    assert.ok(parsed.text.length <= MAX_MESSAGE_LENGTH, `${parsed.text.length}`);
    const contextButtons = reply.buttons[0]!;
    assert.ok(contextButtons.length >= 1);
    const more = decodeCallbackData(reply.buttons[1]![0]!.data);
    assert.deepEqual(more, { kind: 'more', offset: contextButtons.length });
  });

  it('keeps three long passages, each shown once', () => {
    const hits = [1, 2, 3].map((rank) => hit({ rank, text: long(1200) }));
    const reply = answerHtml({ kind: 'found', question: 'q', filters: {}, notes: [], hits, offset: 0, total: 3 }, en);
    const parsed = parseTelegramHtml(reply.html);
    assert.ok(parsed.text.length <= MAX_MESSAGE_LENGTH);
    assert.equal(parsed.entities.filter((e) => e.type === 'blockquote').length, 3);
    assert.equal(parsed.entities.filter((e) => e.type === 'expandable_blockquote').length, 0);
    assert.equal(reply.buttons.length, 1, 'no "more" button when everything is shown');
    assert.deepEqual(reply.buttons[0]!.map((b) => b.text), ['Context 1', 'Context 2', 'Context 3']);
  });

  it('fits context and inline results too', () => {
    const paragraphs = [1, 2, 3].map((position) => hit({ paragraphId: position, position, text: long(2000) }));
    assert.ok(shown(contextHtml(paragraphs, 2, zh)).length <= MAX_MESSAGE_LENGTH);
    const article = inlineArticle(hit({ text: long(5000) }), 'q', zh);
    assert.ok(shown(article.html).length <= MAX_MESSAGE_LENGTH);
    assert.ok(Buffer.byteLength(article.id) <= 64);
  });
});

describe('answers without quotes', () => {
  it('a not-found answer suggests rephrasing and names speakers and documents', () => {
    const answer: Answer = { kind: 'not-found', question: 'chips?', filters: {}, notes: [], speakers: ['郑平', '黄德明'], sources: ['文件甲'] };
    const text = shown(answerHtml(answer, en).html);
    assert.match(text, /found no passage/);
    assert.ok(text.includes('郑平, 黄德明') && text.includes('文件甲'));
    assert.match(answerText(answer, zh), /没有在语料中找到/);
  });

  it('a hint is escaped text without buttons', () => {
    const reply = answerHtml({ kind: 'hint', text: 'a <hint> & more' }, en);
    assert.equal(shown(reply.html), 'a <hint> & more');
    assert.deepEqual(reply.buttons, []);
  });
});

describe('callback data', () => {
  const samples: CallbackData[] = [
    { kind: 'more', offset: 9999 },
    { kind: 'ctx', hash: '642844b73bf0' },
    { kind: 'ask', example: 2 },
    { kind: 'spk', page: 3 },
    { kind: 'up', offset: 9999 },
    { kind: 'dn', offset: 0 },
    { kind: 'iup', hash: '642844b73bf0' },
    { kind: 'idn', hash: '642844b73bf0' },
    { kind: 'spw', hash: '642844b73bf0' },
  ];

  it('round-trips within 64 bytes', () => {
    for (const data of samples) {
      const encoded = encodeCallbackData(data);
      assert.ok(Buffer.byteLength(encoded) <= MAX_CALLBACK_DATA_BYTES, encoded);
      assert.deepEqual(decodeCallbackData(encoded), data);
    }
  });

  it('rejects garbage', () => {
    for (const raw of [undefined, '', 'more', 'more:', 'more: 1', 'more:-1', 'more:1.5', 'more:1e3', 'more:abc', 'ctx:XYZ', 'ctx:642844b73bf0ff', 'up:x', 'spw:642844', 'nope:1', 'x'.repeat(65)]) {
      assert.equal(decodeCallbackData(raw), null, String(raw));
    }
  });
});

describe('languages', () => {
  it('uses Chinese for zh* language codes and English otherwise', () => {
    assert.equal(languageOf('zh-hans'), 'zh');
    assert.equal(languageOf('zh-TW'), 'zh');
    assert.equal(languageOf('en'), 'en');
    assert.equal(languageOf('ru'), 'en');
    assert.equal(languageOf(undefined), 'en');
  });

  it('has the same commands in both languages', () => {
    assert.deepEqual(Object.keys(zh.commands), Object.keys(en.commands));
  });
});

describe('question text', () => {
  it('drops the command and mentions of the bot', () => {
    const text = '/ask@fake_test_bot 养老 @fake_test_bot 服务 @someone';
    const entities = [
      { type: 'bot_command' as const, offset: 0, length: 18 },
      { type: 'mention' as const, offset: 22, length: 14 },
      { type: 'mention' as const, offset: 40, length: 8 },
    ];
    assert.equal(questionText({ text, entities }, 'fake_test_bot'), '养老   服务 @someone');
  });
});

describe('configuration', () => {
  it('documents every setting the bot reads, in .env.example and in the README\'s table', () => {
    const settings = [...Object.keys(botConfigSchema.in.shape), ...Object.keys(retrievalConfigSchema.shape)];
    const example = fs.readFileSync('.env.example', 'utf8');
    const readme = fs.readFileSync('README.md', 'utf8');
    assert.deepEqual(settings.filter((name) => !new RegExp(`^# ${name}=`, 'm').test(example)), [], 'missing in .env.example');
    assert.deepEqual(settings.filter((name) => !readme.includes(`\`${name}\``)), [], 'missing in the README');
  });

  it('polls by default, queueing up to 40 updates per chat with 2 searches at a time', () => {
    const config = botConfigSchema.parse({});
    assert.deepEqual(config.delivery, { mode: 'polling' });
    assert.equal(config.admission.perChat, 40);
    assert.equal(config.admission.concurrency, 2);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.apiRoot, 'https://api.telegram.org');
  });

  it('uses a webhook when WEBHOOK_URL is set, with a secret derived from the token that replicas share', () => {
    const env = { WEBHOOK_URL: 'https://example.org/hook', TELEGRAM_BOT_TOKEN: '123:abc', QUEUE_PER_CHAT: '5' };
    const secretOf = (parsed: ReturnType<typeof botConfigSchema.parse>) => (parsed.delivery.mode === 'webhook' ? parsed.delivery.secret : '');
    const config = botConfigSchema.parse(env);
    assert.ok(config.delivery.mode === 'webhook' && config.delivery.port === 8080);
    assert.match(secretOf(config), /^[0-9a-f]{64}$/);
    assert.equal(secretOf(botConfigSchema.parse(env)), secretOf(config), 'same token, same secret');
    assert.notEqual(secretOf(botConfigSchema.parse({ ...env, TELEGRAM_BOT_TOKEN: '123:abd' })), secretOf(config));
    assert.equal(secretOf(botConfigSchema.parse({ ...env, WEBHOOK_SECRET: 'given' })), 'given');
    assert.equal(config.admission.perChat, 5);
  });

  it('rejects a plain-http webhook and a malformed token, naming the variable', () => {
    const result = botConfigSchema.safeParse({ WEBHOOK_URL: 'http://example.org', TELEGRAM_BOT_TOKEN: 'nope' });
    assert.equal(result.success, false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    assert.deepEqual(paths.sort(), ['TELEGRAM_BOT_TOKEN', 'WEBHOOK_URL']);
  });
});
