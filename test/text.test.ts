/**
 * retrieval/text.ts: one way of writing, sentence and clause breaks in both
 * widths, and the comparable form a quote is matched in, also against a real
 * index whose passages are written in full-width digits and traditional script.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIndex } from '../retrieval/api.js';
import { openStore } from '../retrieval/index/store/open-store.js';
import type { IndexReader, IndexStore } from '../retrieval/index/store/store.js';
import { exactQuoteMatches } from '../retrieval/search/search-lexical.js';
import { SearchEngine } from '../retrieval/search/search.js';
import { clauseEnds, comparableText, isSentenceEnd, normalise, sentenceEnds, splitClauses, splitSentences } from '../retrieval/text.js';
import { tempDir, testConfig } from './support/temp.js';

describe('text', () => {
  it('writes full-width letters and digits half-width, traditional script simplified, in lower case', () => {
    assert.equal(normalise('２０２３年ＡＢＣ經濟發展'), '2023年abc经济发展');
  });

  it('compares quotes without white space, punctuation, symbols, width or script', () => {
    assert.equal(comparableText('“２０２３年，城市書房 十五家。”'), comparableText('2023年城市书房十五家'));
    assert.equal(comparableText('2023年城市书房十五家'), '2023年城市书房十五家');
  });

  it('ends sentences after either width of full stop, exclamation, question mark and semicolon, an ellipsis, a line break', () => {
    assert.deepEqual(splitSentences('一。二！三？四；五!六?七;八…九\n十'), ['一。', '二！', '三？', '四；', '五!', '六?', '七;', '八…', '九\n', '十']);
    assert.deepEqual(splitSentences('It grew 5.2 percent. Then'), ['It grew 5.2 percent.', ' Then'], 'a decimal point ends nothing');
    assert.deepEqual(sentenceEnds('甲。乙？'), [2, 4]);
    assert.ok(isSentenceEnd('！') && isSentenceEnd('\n') && !isSentenceEnd('.') && !isSentenceEnd('，'));
  });

  it('ends clauses at commas, the enumeration comma, colons and white space', () => {
    assert.deepEqual(splitClauses('甲，乙,丙、丁：戊 己。庚'), ['甲', '乙', '丙', '丁', '戊', '己', '庚']);
    assert.deepEqual(clauseEnds('甲，乙。丙'), [2]);
  });
});

describe('an exact quote of a passage in full-width digits and traditional script', () => {
  const passage = '２０２３年全市新建城市書房十五家，實行二十四小時自助借閱，去年接待讀者六十萬人次。';
  let store: IndexStore;
  let reader: IndexReader;
  let engine: SearchEngine;

  before(async () => {
    const corpus = tempDir('text-corpus');
    fs.writeFileSync(
      path.join(corpus, '001_library.txt'),
      ['城市书房建设座谈会发言摘要', '', `市图书馆馆长许文清:${passage}`, '', '今年还要开展全民阅读月活动,举办读书分享会和少儿绘本讲座。', ''].join('\n'),
    );
    const config = testConfig({ CORPUS_DIR: corpus, INDEX_DIR: tempDir('text-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    store = openStore(config);
    reader = await store.open(await store.currentGeneration());
    engine = await SearchEngine.open(config);
  });
  after(async () => {
    await reader?.close();
    await store?.close();
    await engine?.close();
  });

  const quoted = async (question: string) => (await reader.paragraphs(await exactQuoteMatches(reader, question, 10))).map((p) => p.text);

  it('is found when copied as printed, and when typed half-width in simplified script', async () => {
    assert.ok((await quoted('２０２３年全市新建城市書房十五家')).some((text) => text.includes(passage)));
    assert.ok((await quoted('2023年全市新建城市书房十五家，实行二十四小时自助借阅')).some((text) => text.includes(passage)));
  });

  it('is not matched by words the passage does not hold in that order', async () => {
    assert.deepEqual(await quoted('２０２３年全市新建城市書房十六家'), []);
  });

  it('comes first in the answer, with its speaker', async () => {
    const result = await engine.search('２０２３年全市新建城市書房十五家', { mode: 'lexical' });
    assert.ok(result.results[0]?.text.includes(passage));
    assert.equal(result.results[0]?.speaker?.name, '许文清');
  });
});
