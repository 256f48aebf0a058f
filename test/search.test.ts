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
import { copyCorpus, tempDir, testConfig, testModelDir } from './support/temp.js';

describe('build and search with the test model', () => {
  let config: RetrievalConfig;
  let first: BuildSummary;
  let engine: SearchEngine;

  before(async () => {
    config = testConfig({ CORPUS_DIR: copyCorpus(), INDEX_DIR: tempDir('index'), EMBEDDING_MODEL: await testModelDir() });
    first = await buildIndex(config);
    engine = await SearchEngine.open(config);
  });
  after(() => engine?.close());

  it('builds both indexes and reports the counts', () => {
    assert.equal(first.documents, 5);
    assert.ok(first.paragraphs > 500);
    assert.ok(first.speakers >= 20);
    assert.equal(first.vectors?.embedded, first.paragraphs);
    assert.ok(engine.hasVectors);
  });

  it('re-embeds nothing when the corpus did not change, and only the changed paragraph when one did', async () => {
    const again = await buildIndex(config);
    assert.deepEqual([again.vectors?.embedded, again.vectors?.cached], [0, first.paragraphs]);
    const file = path.join(config.CORPUS_DIR, fs.readdirSync(config.CORPUS_DIR).find((f) => f.startsWith('003_'))!);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('我一直把创新发展理解为一场战役', '我一直把创新发展理解为一场硬仗'));
    const changed = await buildIndex(config);
    assert.equal(changed.vectors?.embedded, 1);
  });

  it('finds a two-character word, a policy term and an exact quote (first)', async () => {
    const care = await engine.search('养老', { mode: 'lexical' });
    assert.ok(care.results.length > 0 && care.results.every((hit) => /养老|民政/.test(hit.text + hit.section.title)));
    const quote = '要以沪浙苏三地的先进经验做法、稳扎稳打搭起我市公共服务体系体制机制改革的四梁八柱';
    for (const mode of ['lexical', 'hybrid', 'dense'] as const) {
      const result = await engine.search(quote, { mode });
      assert.ok(result.results[0]!.text.includes(quote), `${mode}: exact quote not first`);
      assert.equal(result.results[0]!.speaker?.name, '何传义');
    }
  });

  it('answers a dev question with the speaker and source of the passage', async () => {
    const result = await engine.search('宁波和无锡的集团化办学有几种模式?', { mode: 'hybrid', top: 5 });
    assert.equal(result.answered, true);
    const hit = result.results.find((h) => h.text.includes('他们的集团化办学有四种模式'));
    assert.ok(hit, 'gold passage not in the top 5');
    assert.deepEqual(hit.speaker, { name: '周泉', role: '市教体局副局长', attribution: 'label' });
    assert.equal(hit.reporter, '白萍');
    assert.match(hit.document.file, /^000_/);
  });

  it('answers an English question whose word the dictionary translates otherwise than the corpus (fever → 发热, by "feverish")', async () => {
    const result = await engine.search('How many fever clinics does Ezhou have now?', { mode: 'lexical' });
    assert.equal(result.answered, true);
    assert.ok(result.results[0]!.text.includes('发热门诊总量达30个'), result.results[0]!.text);
    assert.ok(result.searched.includes('发热'), result.searched.join(' '));
  });

  it('abstains when the corpus does not answer (lexical)', async () => {
    for (const question of ['What subsidies for the semiconductor or chip industry were announced?', '宁波市参与集团化办学的学校一共有多少所?']) {
      assert.equal((await engine.search(question, { mode: 'lexical' })).answered, false, question);
    }
  });

  it('filters by speaker and by source, and names an unknown speaker', async () => {
    const byName = await engine.ask('王爱武: 工作', { mode: 'lexical', top: 10 });
    assert.ok(byName.results.length > 0 && byName.results.every((hit) => hit.speaker?.name === '王爱武'));
    const bySource = await engine.search('发展', { source: '004_', top: 10 });
    assert.ok(bySource.results.length > 0 && bySource.results.every((hit) => hit.document.file.startsWith('004_')));
    const bySpeech = await engine.ask('source:台商论坛 两岸', { top: 3 });
    assert.ok(bySpeech.results.every((hit) => hit.section.title === '在第十五届台商论坛上的致辞'));
    await assert.rejects(engine.search('养老', { speaker: '张三' }), /No speaker named "张三" in the corpus/);
  });

  it('gives clear answers to bad input and never crashes', async () => {
    await assert.rejects(engine.search('   '), /The question is empty/);
    await assert.rejects(engine.search('!!!?? 🙂🙂'), /holds no words/);
    const long = await engine.search('养老服务'.repeat(1250));
    assert.match(long.notices.join(' '), /longer than 500 characters/);
    // Query syntax and markup are read as words: the words are searched, the syntax is not.
    for (const [odd, word] of [['<b>养老</b> & 教育', '养老'], ['"集团化办学" AND 模式*', '集团化办学'], ['NEAR(营商环境', '营商环境']] as const) {
      const result = await engine.search(odd, { mode: 'lexical' });
      assert.equal(result.answered, true, odd);
      assert.ok(result.results[0]!.text.includes(word), odd);
    }
    for (const odd of ["'; DROP TABLE paragraphs; --", '"unbalanced']) {
      assert.equal((await engine.search(odd, { mode: 'lexical' })).answered, false, odd);
    }
    const operators = await engine.search('title:"x" OR NEAR(a b) *', { mode: 'lexical' });
    assert.ok(operators.searched.length > 0 && operators.results.every((hit) => hit.matchedTerms.length > 0), 'the English word is searched');
  });

  it('pages through results without repeats and expands a hit to its neighbours', async () => {
    const first = await engine.search('公共服务', { top: 3 });
    const second = await engine.search('公共服务', { top: 3, offset: 3 });
    const ids = [...first.results, ...second.results].map((hit) => hit.paragraphId);
    assert.equal(new Set(ids).size, 6);
    assert.deepEqual(second.results.map((hit) => hit.rank), [4, 5, 6]);
    const hit = first.results[0]!;
    const context = await engine.context(hit.paragraphId, 1);
    assert.ok(context.some((p) => p.paragraphId === hit.paragraphId));
    assert.ok(context.every((p) => p.section.id === hit.section.id));
  });
});

describe('builds that cannot use a model, and broken indexes', () => {
  it('builds a working full-text index when the model is unavailable, and says so', async (t) => {
    const config = testConfig({ INDEX_DIR: tempDir('index', t), EMBEDDING_MODEL: 'no-such-org/no-such-model' });
    const log: string[] = [];
    const summary = await buildIndex(config, (line) => log.push(line));
    assert.equal(summary.vectors, null);
    assert.match(log.join('\n'), /Embedding model "no-such-org\/no-such-model" could not be loaded/);
    const engine = await SearchEngine.open(config);
    t.after(() => engine.close());
    const result = await engine.search('集团化办学', { mode: 'hybrid' });
    assert.equal(result.mode, 'lexical');
    assert.ok(result.results[0]!.text.includes('集团化办学'));
  });

  it('keeps the index in use when a build fails', async (t) => {
    const config = testConfig({ INDEX_DIR: tempDir('index', t), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    const before = currentBuild(config.INDEX_DIR);
    await assert.rejects(buildIndex({ ...config, CORPUS_DIR: path.join(tempDir('empty', t), 'missing') }), /does not exist/);
    assert.equal(currentBuild(config.INDEX_DIR), before);
    assert.ok(fs.existsSync(path.join(before, files.database)));
    assert.deepEqual(fs.readdirSync(path.join(config.INDEX_DIR, 'builds')).filter((f) => f.endsWith('.partial')), []);
  });

  it('says to rebuild when the index has another schema version, or is missing', async (t) => {
    const config = testConfig({ INDEX_DIR: tempDir('index', t), EMBEDDING_MODEL: 'none/none' });
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
