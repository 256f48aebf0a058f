import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { buildIndex, type BuildSummary } from '../retrieval/api.js';
import type { RetrievalConfig } from '../retrieval/config.js';
import { loadEmbedder } from '../retrieval/index/embed.js';
import { currentBuild, files } from '../retrieval/index/store/sqlite/build-folders.js';
import { SCHEMA_VERSION } from '../retrieval/index/store/store.js';
import { SearchEngine } from '../retrieval/search/search.js';
import { fixtureCorpus, paragraphCount, tempDir, testConfig, testModelDir } from './support/temp.js';

/**
 * The corpus is the test's own: speeches with titled sections (test/fixtures/search-corpus), the water and parks
 * summaries (water-corpus) and five years of elderly-care meetings (research-corpus).
 */
const CORPORA = ['search-corpus', 'water-corpus', 'research-corpus'];

describe('build and search with the test model', () => {
  let config: RetrievalConfig;
  let first: BuildSummary;
  let engine: SearchEngine;

  before(async () => {
    config = testConfig({ CORPUS_DIR: fixtureCorpus(CORPORA), INDEX_DIR: tempDir('index'), EMBEDDING_MODEL: await testModelDir() });
    first = await buildIndex(config);
    engine = await SearchEngine.open(config);
  });
  after(() => engine?.close());

  it('builds both indexes and reports the counts', () => {
    assert.equal(first.documents, fs.readdirSync(config.CORPUS_DIR).length);
    assert.equal(first.paragraphs, paragraphCount(config.CORPUS_DIR));
    assert.equal(first.speakers, new Set(engine.speakerNames()).size);
    assert.ok(first.speakers >= 10);
    assert.equal(first.vectors?.embedded, first.paragraphs);
    assert.ok(engine.hasVectors);
  });

  it('re-embeds nothing when the corpus did not change, and only the changed paragraph when one did', async () => {
    const again = await buildIndex(config);
    assert.deepEqual([again.vectors?.embedded, again.vectors?.cached], [0, first.paragraphs]);
    const file = path.join(config.CORPUS_DIR, 'water-corpus-001_water.txt');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('新建雨水泵站四座', '新建雨水泵站五座'));
    const changed = await buildIndex(config);
    assert.equal(changed.vectors?.embedded, 1);
  });

  it('finds a two-character word, a policy term and an exact quote (first)', async () => {
    const care = await engine.search('养老', { mode: 'lexical' });
    assert.ok(care.results.length >= 3, `${care.results.length} results for 养老`);
    for (const hit of care.results) assert.match(hit.text + hit.section.title, /养老/);
    const quote = '我们要以群众看病就医的难点堵点为突破口、稳扎稳打搭起分级诊疗制度的四梁八柱';
    for (const mode of ['lexical', 'hybrid', 'dense'] as const) {
      const result = await engine.search(quote, { mode });
      assert.ok(result.results[0]!.text.includes(quote), `${mode}: exact quote not first`);
      assert.equal(result.results[0]!.speaker?.name, '沈清和');
    }
  });

  it('answers a question with the speaker and source of the passage', async () => {
    const result = await engine.search('城区易涝点减少到了几处?', { mode: 'hybrid', top: 5 });
    assert.equal(result.answered, true);
    const hit = result.results.find((h) => h.text.includes('城区易涝点由二十七处减少到九处'));
    assert.ok(hit, 'the passage is not in the top 5');
    assert.deepEqual(hit.speaker, { name: '陈雨桐', role: '市应急管理局副局长', attribution: 'label' });
    assert.equal(hit.reporter, '张明');
    assert.equal(hit.document.file, 'water-corpus-001_water.txt');
  });

  it('answers an English question whose word the dictionary translates otherwise than the corpus (fever → 发热, by "feverish")', async () => {
    const result = await engine.search('How many fever clinics does the city have now?', { mode: 'lexical' });
    assert.equal(result.answered, true);
    assert.ok(result.results[0]!.text.includes('发热门诊三十个'), result.results[0]!.text);
    assert.ok(result.searched.includes('发热'), result.searched.join(' '));
  });

  it('abstains when the corpus does not answer (lexical)', async () => {
    for (const question of ['What subsidies for the semiconductor industry were announced?', '全市新建了多少个新能源汽车充电桩?']) {
      const result = await engine.search(question, { mode: 'lexical' });
      assert.equal(result.answered, false, `${question}: ${result.results[0]?.text}`);
    }
  });

  it('filters by speaker, by source and by the title of a speech, and names an unknown speaker', async () => {
    const byName = await engine.ask('黄德明: 养老', { mode: 'lexical', top: 10 });
    assert.ok(byName.results.length >= 3, `${byName.results.length} results`);
    for (const hit of byName.results) assert.equal(hit.speaker?.name, '黄德明');
    const bySource = await engine.search('建设', { source: 'water-corpus-', top: 10 });
    assert.ok(bySource.results.length >= 2, `${bySource.results.length} results`);
    for (const hit of bySource.results) assert.match(hit.document.file, /^water-corpus-/);
    const bySpeech = await engine.ask('source:爱国卫生运动 卫生', { top: 3 });
    assert.ok(bySpeech.results.length > 0);
    for (const hit of bySpeech.results) assert.equal(hit.section.title, '在全市爱国卫生运动推进会上的致辞');
    await assert.rejects(engine.search('养老', { speaker: '张三' }), /No speaker named "张三" in the corpus/);
  });

  it('gives clear answers to bad input and never crashes', async () => {
    await assert.rejects(engine.search('   '), /The question is empty/);
    await assert.rejects(engine.search('!!!?? 🙂🙂'), /holds no words/);
    const long = await engine.search('养老服务'.repeat(1250));
    assert.match(long.notices.join(' '), /longer than 500 characters/);
    // Query syntax and markup are read as words: the words are searched, the syntax is not.
    for (const [odd, word] of [['<b>养老</b> & 服务', '养老'], ['"自助借阅" AND 书房*', '自助借阅'], ['NEAR(防汛物资', '防汛物资']] as const) {
      const result = await engine.search(odd, { mode: 'lexical' });
      assert.equal(result.answered, true, odd);
      assert.ok(result.results[0]!.text.includes(word), odd);
    }
    for (const odd of ["'; DROP TABLE paragraphs; --", '"unbalanced']) {
      assert.equal((await engine.search(odd, { mode: 'lexical' })).answered, false, odd);
    }
    const operators = await engine.search('title:"x" OR NEAR(a b) *', { mode: 'lexical' });
    assert.ok(operators.searched.length > 0, 'the English word is searched');
    for (const hit of operators.results) assert.ok(hit.matchedTerms.length > 0, hit.text);
  });

  it('pages through results without repeats and expands a hit to its neighbours', async () => {
    const first = await engine.search('养老服务', { top: 3 });
    const second = await engine.search('养老服务', { top: 3, offset: 3 });
    const ids = [...first.results, ...second.results].map((hit) => hit.paragraphId);
    assert.equal(new Set(ids).size, 6);
    assert.deepEqual(second.results.map((hit) => hit.rank), [4, 5, 6]);
    // The passage on smart water meters follows another by the same speaker, in the same section.
    const hit = (await engine.search('智慧水表', { mode: 'lexical' })).results[0]!;
    const context = await engine.context(hit.paragraphId, 1);
    assert.deepEqual(context.map((p) => p.paragraphId), [hit.paragraphId - 1, hit.paragraphId]);
    for (const p of context) assert.equal(p.section.id, hit.section.id);
  });
});

describe('near-duplicate passages', () => {
  it('shows a passage printed twice (other punctuation, or inside a longer one) once, and keeps different ones', async (t) => {
    const passage = '今年汛期前全市清理排水管道三百多公里,新建雨水泵站四座,城区易涝点明显减少。';
    const corpus = tempDir('duplicates', t);
    fs.writeFileSync(path.join(corpus, 'a.txt'), `防汛工作会议发言摘要\n\n市应急管理局副局长陈雨桐:${passage}\n\n市水务局局长林海生:我们新建雨水泵站两座,改造排水管网四十公里。\n`);
    fs.writeFileSync(path.join(corpus, 'b.txt'), `防汛工作情况通报\n\n${passage.replaceAll(',', '，')}\n`);
    fs.writeFileSync(path.join(corpus, 'c.txt'), `防汛简报\n\n据介绍,${passage}防汛物资也已备齐。\n`);
    const config = testConfig({ CORPUS_DIR: corpus, INDEX_DIR: tempDir('duplicates-index', t), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    const engine = await SearchEngine.open(config);
    t.after(() => engine.close());
    const held = (await engine.reader.allParagraphs()).filter((paragraph) => paragraph.text.includes('清理排水管道三百多公里'));
    assert.equal(held.length, 3, 'the index holds all three');
    const result = await engine.search('新建雨水泵站', { mode: 'lexical', top: 10 });
    const texts = result.results.map((hit) => hit.text);
    assert.equal(texts.filter((text) => text.includes('清理排水管道三百多公里')).length, 1, texts.join('\n'));
    assert.ok(texts.some((text) => text.includes('新建雨水泵站两座')), texts.join('\n'));
  });
});

describe('builds that cannot use a model, and broken indexes', () => {
  const WATER = path.resolve('test/fixtures/water-corpus');

  it('builds a working full-text index when the model is unavailable, and says so', async (t) => {
    const config = testConfig({ CORPUS_DIR: WATER, INDEX_DIR: tempDir('index', t), EMBEDDING_MODEL: 'no-such-org/no-such-model' });
    const log: string[] = [];
    const summary = await buildIndex(config, (line) => log.push(line));
    assert.equal(summary.vectors, null);
    assert.match(log.join('\n'), /Embedding model "no-such-org\/no-such-model" could not be loaded/);
    const engine = await SearchEngine.open(config);
    t.after(() => engine.close());
    const result = await engine.search('智慧水表', { mode: 'hybrid' });
    assert.equal(result.mode, 'lexical');
    assert.ok(result.results[0]!.text.includes('智慧水表'));
  });

  it('keeps the index in use when a build fails', async (t) => {
    const config = testConfig({ CORPUS_DIR: WATER, INDEX_DIR: tempDir('index', t), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    const before = currentBuild(config.INDEX_DIR);
    await assert.rejects(buildIndex({ ...config, CORPUS_DIR: path.join(tempDir('empty', t), 'missing') }), /does not exist/);
    assert.equal(currentBuild(config.INDEX_DIR), before);
    assert.ok(fs.existsSync(path.join(before, files.database)));
    assert.deepEqual(fs.readdirSync(path.join(config.INDEX_DIR, 'builds')).filter((f) => f.endsWith('.partial')), []);
  });

  it('says to rebuild when the index has another schema version, or is missing', async (t) => {
    const config = testConfig({ CORPUS_DIR: WATER, INDEX_DIR: tempDir('index', t), EMBEDDING_MODEL: 'none/none' });
    await assert.rejects(SearchEngine.open(config), /No index in .* Build it with `npm run build-index`/);
    await buildIndex(config);
    const database = path.join(currentBuild(config.INDEX_DIR), files.database);
    const db = new Database(database);
    db.prepare("UPDATE meta SET value = '0' WHERE key = 'schema_version'").run();
    db.close();
    await assert.rejects(SearchEngine.open(config), new RegExp(`schema version 0, this program needs version ${SCHEMA_VERSION}\\. Rebuild it with \`npm run build-index\``));
    // An index of the version before, whose manifest lacks the thresholds measured at build: rebuild, not a crash.
    const manifest = path.join(currentBuild(config.INDEX_DIR), files.manifest);
    const { fullText: _, ...older } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(manifest, JSON.stringify({ ...older, schemaVersion: 3 }));
    await assert.rejects(SearchEngine.open(config), new RegExp(`schema version 3, this program needs version ${SCHEMA_VERSION}\\. Rebuild it with \`npm run build-index\``));
  });
});

describe('embedding long passages', () => {
  it('splits a passage longer than the model input into overlapping windows that each fit', async () => {
    const loaded = await loadEmbedder(testConfig({ EMBEDDING_MODEL: await testModelDir() }));
    assert.ok(loaded.ok);
    const embedder = loaded.embedder as unknown as { windows(text: string): string[] };
    const sentence = '我们要加快推进公共服务体系改革,提升基本公共服务能力。';
    const text = sentence.repeat(12);
    const windows = embedder.windows(text);
    assert.ok(windows.length >= 3);
    assert.ok(windows.every((w) => w.length <= 126));
    assert.equal(windows.join('').includes(text.slice(0, 100)), true);
    const [vector] = await loaded.embedder.embedPassages([text]);
    assert.ok(Math.abs(Math.hypot(...vector!) - 1) < 1e-4);
  });
});
