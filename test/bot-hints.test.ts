/**
 * Filters a person may mistype: LIKE wildcards are taken literally, and the
 * "unknown speaker / document" hint stays a valid Telegram message on a corpus
 * with hundreds of speakers.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findAnswer } from '../bot/answer.js';
import { answerHtml, MAX_MESSAGE_LENGTH, type Answer } from '../bot/presentation/format.js';
import { messagesFor } from '../bot/presentation/i18n.js';
import { buildIndex } from '../retrieval/api.js';
import { SearchEngine } from '../retrieval/search/search.js';
import { parseTelegramHtml } from './support/fake-bot-api/index.js';
import { tempDir, testConfig } from './support/temp.js';

const zh = messagesFor('zh');

async function openIndexOf(corpusDir: string, name: string): Promise<SearchEngine> {
  const config = testConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: tempDir(name), EMBEDDING_MODEL: 'none/none' });
  await buildIndex(config);
  return SearchEngine.open(config);
}

/** Telegram's limit counts the text after HTML parsing; parseTelegramHtml throws where Telegram would refuse. */
function assertValidForTelegram(html: string) {
  const parsed = parseTelegramHtml(html);
  assert.ok(parsed.text.length <= MAX_MESSAGE_LENGTH, `${parsed.text.length} characters`);
}

describe('filters with LIKE wildcards', () => {
  let engine: SearchEngine;
  before(async () => {
    engine = await openIndexOf(path.resolve('test/fixtures/research-corpus'), 'hints-research');
  });
  after(() => engine?.close());

  it('source:% matches no document instead of every one', async () => {
    const answer = await findAnswer(engine, 'source:% 养老', zh);
    assert.equal(answer.kind, 'hint');
    assert.match(answer.kind === 'hint' ? answer.text : '', /没有与「%」匹配的文件/);
    const underscore = await findAnswer(engine, 'source:_ 养老', zh);
    assert.equal(underscore.kind, 'hint');
  });

  it('speaker:_ matches no speaker instead of every one', async () => {
    const answer = await findAnswer(engine, 'speaker:_ 养老', zh);
    assert.equal(answer.kind, 'hint');
    assert.match(answer.kind === 'hint' ? answer.text : '', /没有名为「_」的讲话人/);
    assert.equal((await findAnswer(engine, 'speaker:% 养老', zh)).kind, 'hint');
  });

  it('says a question was cut short only when its words were, not when its filters make the message long', async () => {
    const file = engine.catalogue.documents[0]!.file;
    const within = '养老服务'.repeat(120);
    const saysCut = (answer: Answer) => (answer.kind === 'hint' ? null : answer.notes.includes(zh.truncatedNote(500, answer.question.length)));
    assert.ok(`source:${file} ${within}`.length > 500 && within.length <= 500);
    assert.equal(saysCut(await findAnswer(engine, `source:${file} ${within}`, zh)), false);
    assert.equal(saysCut(await findAnswer(engine, `source:${file} ${'养老服务'.repeat(130)}`, zh)), true);
  });

  it('names in the hint the speaker the search did not know, as typed between quotes', async () => {
    const answer = await findAnswer(engine, 'speaker:"王 不存在" 养老', zh);
    assert.match(answer.kind === 'hint' ? answer.text : '', /没有名为「王 不存在」的讲话人/);
  });
});

describe('an unknown speaker on a corpus with 500 speakers', () => {
  let engine: SearchEngine;
  before(async () => {
    const surnames = [...'赵钱孙李周吴郑冯陈褚卫蒋沈韩杨朱秦尤许何'];
    const given = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建'];
    const lines = surnames.flatMap((a) => given.map((b) => `${a}${b}`)).map((name, n) => `副市长${name}:我们要抓好第${n + 1}项养老服务工作。`);
    const dir = tempDir('hints-corpus');
    fs.writeFileSync(path.join(dir, 'many.txt'), `讨论发言摘要\n\n${lines.join('\n\n')}\n`);
    engine = await openIndexOf(dir, 'hints-many');
  });
  after(() => engine?.close());

  it('names a few speakers, says how many there are, and stays within 4096 characters', async () => {
    assert.equal(engine.speakerNames().length, 500);
    const answer = await findAnswer(engine, 'speaker:不存在的人 养老', zh);
    assert.equal(answer.kind, 'hint');
    const { html } = answerHtml(answer, zh);
    assertValidForTelegram(html);
    assert.match(html, /等 500 位/);
    assert.match(html, /\/speakers/);
  });
});
