/**
 * A corpus with one huge paragraph (a file that never breaks its lines): the
 * build says so and what to do, and indexes, ranks and quotes it in windows,
 * so that no question reads or scores the whole of it. Generated here, of a
 * few tens of kilobytes (forty windows): the rules do not depend on the size.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIndex, type BuildSummary } from '../retrieval/api.js';
import { paragraphWindows, WINDOW_CHARACTERS } from '../retrieval/index/store/corpus-rows.js';
import { SearchEngine } from '../retrieval/search/search.js';
import { tempDir, testConfig } from './support/temp.js';

const NEEDLE = '地下综合管廊的巡检机器人已覆盖全部十二公里廊道。';

/** `count` sentences about routine work, each numbered so that no two are alike, with NEEDLE in the middle. */
function hugeParagraph(count: number): string {
  const sentences = Array.from({ length: count }, (_, i) => `第${i + 1}项工作要求各部门加强协调配合，按期完成年度任务。`);
  sentences.splice(Math.floor(count / 2), 0, NEEDLE);
  return sentences.join('');
}

describe('paragraph windows', () => {
  it('cut a long text after sentence ends into windows that together are the text, verbatim', () => {
    const text = hugeParagraph(400);
    const windows = paragraphWindows(text);
    assert.equal(windows.join(''), text);
    assert.ok(windows.length > 1);
    assert.ok(windows.every((window) => window.length <= WINDOW_CHARACTERS));
    assert.ok(windows.slice(0, -1).every((window) => window.endsWith('。')), 'each cut is after a sentence end');
    assert.deepEqual(paragraphWindows('短的段落。'), ['短的段落。']);
  });

  it('cut a text without sentence ends at the window edge, never inside a character outside the BMP', () => {
    const text = '𠀀'.repeat(WINDOW_CHARACTERS);
    const windows = paragraphWindows(text);
    assert.equal(windows.join(''), text);
    assert.ok(windows.every((window) => window.length <= WINDOW_CHARACTERS && !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(window)));
  });
});

describe('a corpus with one huge paragraph', () => {
  let summary: BuildSummary;
  let engine: SearchEngine;
  const huge = hugeParagraph(3_000);

  before(async () => {
    const corpus = tempDir('huge-corpus');
    fs.writeFileSync(path.join(corpus, 'ordinary.txt'), '城市供水工作会议纪要\n\n会议要求加快老旧供水管网改造，保障居民用水安全。\n\n会议强调汛期前完成排水设施检修。\n');
    fs.writeFileSync(path.join(corpus, 'one-line.txt'), `年度工作汇编\n\n${huge}\n`);
    const config = testConfig({ CORPUS_DIR: corpus, INDEX_DIR: tempDir('huge-index'), EMBEDDING_MODEL: 'none/none' });
    summary = await buildIndex(config);
    engine = await SearchEngine.open(config);
  });
  after(() => engine?.close());

  it('warns at build, naming the file and the size, and says what to do', () => {
    const warning = summary.warnings.find((line) => line.startsWith('one-line.txt:'));
    assert.ok(warning, summary.warnings.join('\n'));
    assert.match(warning, new RegExp(`${huge.length.toLocaleString('en')} characters`));
    assert.match(warning, /windows/);
    assert.match(warning, /separate them with blank lines/);
    assert.ok(!summary.warnings.some((line) => line.startsWith('ordinary.txt:') && line.includes('windows')));
  });

  it('stores the paragraph as windows that together are its text, in order', async () => {
    const stored = (await engine.reader.allParagraphs()).filter((paragraph) => paragraph.document.file === 'one-line.txt');
    assert.ok(stored.every((paragraph) => paragraph.text.length <= WINDOW_CHARACTERS));
    assert.equal(stored.map((paragraph) => paragraph.text).join(''), huge);
  });

  it('answers from the window that holds the words, quoted verbatim, in full text and as an exact quote', async () => {
    const found = await engine.search('巡检机器人覆盖廊道', { mode: 'lexical' });
    assert.equal(found.answered, true);
    assert.ok(found.results[0]!.text.includes(NEEDLE));
    assert.ok(found.results[0]!.text.length <= WINDOW_CHARACTERS);
    const quoted = await engine.search(NEEDLE, { mode: 'lexical' });
    assert.ok(quoted.results[0]!.text.includes(NEEDLE));
    const ordinary = await engine.search('老旧供水管网改造', { mode: 'lexical' });
    assert.equal(ordinary.results[0]!.document.file, 'ordinary.txt');
  });
});
