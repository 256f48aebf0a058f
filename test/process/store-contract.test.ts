/**
 * The same contract for both stores: the embedded one (SQLite + hnswlib) and
 * PostgreSQL + pgvector over a real wire connection (PGlite behind its socket
 * server, test/support/postgres.ts). Built from the same corpus with the same
 * test model, they must answer every question alike, down to the order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RetrievalConfig } from '../../retrieval/config.js';
import { buildIndex } from '../../retrieval/api.js';
import { openStore } from '../../retrieval/index/store/open-store.js';
import type { IndexReader, IndexStore } from '../../retrieval/index/store/store.js';
import { SearchEngine, type SearchResult } from '../../retrieval/search/search.js';
import { compare } from '../../retrieval/search/compare.js';
import { speakerProfile } from '../../retrieval/search/speaker-profile.js';
import { timeline } from '../../retrieval/search/timeline.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { fixtureCorpus, paragraphCount, tempDir, testConfig, testModelDir } from '../support/temp.js';

/** Questions of every kind the engine handles: Chinese, English, traditional script, a quote, a filter, FTS syntax, unanswerable. */
const QUESTIONS = [
  '养老服务体系建设有哪些经验?', '城区易涝点减少到几处', 'How many fever clinics are there?', '醫療衛生服務',
  '实行二十四小时自助借阅', '黄德明: 养老', 'source:water-corpus- 建设', 'title:"x" OR NEAR(a b) *', '量子计算机的研发进展', '公共服务',
];

/** The test's own corpus: speeches with titled sections, the water and parks summaries, five years of elderly care. */
const CORPORA = ['search-corpus', 'water-corpus', 'research-corpus'];

function outline(result: SearchResult): unknown {
  return {
    answered: result.answered, evidence: result.evidence, searched: result.searched, total: result.total,
    results: result.results.map((hit) => [hit.paragraphId, hit.speaker?.name ?? null, hit.document.file, hit.matchedTerms]),
  };
}

describe('the embedded store and the PostgreSQL store, side by side', () => {
  let server: PostgresServer;
  let embedded: RetrievalConfig;
  let postgres: RetrievalConfig;
  let corpus: string;
  const stores: IndexStore[] = [];
  const readers: IndexReader[] = [];

  before(async () => {
    server = await startPostgres();
    corpus = fixtureCorpus(CORPORA);
    const common = { CORPUS_DIR: corpus, EMBEDDING_MODEL: await testModelDir() };
    embedded = testConfig({ ...common, INDEX_DIR: tempDir('index') });
    postgres = testConfig({ ...common, INDEX_DIR: tempDir('index'), DATABASE_URL: server.url });
    await buildIndex(embedded);
    await buildIndex(postgres);
    for (const config of [embedded, postgres]) {
      const store = openStore(config);
      stores.push(store);
      readers.push(await store.open(await store.currentGeneration()));
    }
  });
  after(async () => {
    for (const reader of readers) await reader.close();
    for (const store of stores) await store.close();
    await server?.stop();
  });

  it('hold the same documents, speakers, vocabulary and word statistics', () => {
    const [a, b] = readers as [IndexReader, IndexReader];
    assert.deepEqual(b.catalogue, a.catalogue);
    assert.equal(b.statistics.paragraphs, a.statistics.paragraphs);
    assert.ok(Math.abs(b.statistics.averageLength - a.statistics.averageLength) < 1e-9);
    for (const term of ['养老', '发热门诊', '服务', '2020', 'covid', 'no-such-term']) {
      assert.equal(b.statistics.documentFrequency(term), a.statistics.documentFrequency(term), term);
    }
  });

  it('rank full-text matches alike (BM25 over the same tokens)', async () => {
    for (const terms of [['养老'], ['养老', '服务', '体系'], ['发热门诊', '乡镇'], ['城区', '易涝点']]) {
      const [a, b] = await Promise.all(readers.map((reader) => reader.matchTerms(terms, 50)));
      assert.ok(a!.length > 0, terms.join(' '));
      assert.deepEqual(b!.map((m) => m.paragraphId), a!.map((m) => m.paragraphId), terms.join(' '));
      assert.deepEqual(b, a);
    }
  });

  it('read paragraphs, neighbours, hash prefixes, and filters alike; filters take % and _ literally', async () => {
    const [a, b] = readers as [IndexReader, IndexReader];
    assert.deepEqual(await b.paragraphs([12, 2, 999_999, 7]), await a.paragraphs([12, 2, 999_999, 7]));
    const [paragraph] = await a.paragraphs([12]);
    assert.deepEqual(await b.neighbours(paragraph!, 2), await a.neighbours(paragraph!, 2));
    assert.deepEqual(await b.paragraphByHash(paragraph!.contentHash.slice(0, 12)), paragraph);
    assert.equal(await b.paragraphByHash('zz'), null);
    for (const filter of [{ speaker: '黄' }, { source: 'water-corpus-' }, { speaker: '黄', source: 'research-corpus-00' }, { speaker: '%' }, { source: '_' }, { speaker: '\\' }]) {
      assert.deepEqual(await b.filter(filter), await a.filter(filter), JSON.stringify(filter));
    }
    assert.deepEqual(await b.filter({ speaker: '%' }), []);
    assert.equal((await b.allParagraphs()).length, paragraphCount(corpus));
  });

  it('find the same nearest vectors, and only allowed ones under a filter', async () => {
    const [a, b] = readers as [IndexReader, IndexReader];
    await Promise.all([a.openVectors(), b.openVectors()]);
    const vector = Array.from({ length: a.manifest.vectors!.dimension }, (_, i) => Math.sin(i + 1));
    const [nearA, nearB] = await Promise.all([a.nearest(vector, 10, null), b.nearest(vector, 10, null)]);
    assert.deepEqual(nearB.map((hit) => hit.paragraphId), nearA.map((hit) => hit.paragraphId));
    nearA.forEach((hit, i) => assert.ok(Math.abs(hit.similarity - nearB[i]!.similarity) < 1e-4));
    const allowed = new Set(await a.filter({ source: 'research-corpus-' }));
    const filtered = await b.nearest(vector, 10, allowed);
    assert.equal(filtered.length, 10, 'a filtered query still returns k hits');
    assert.ok(filtered.every((hit) => allowed.has(hit.paragraphId)));
    assert.deepEqual(filtered.map((hit) => hit.paragraphId), (await a.nearest(vector, 10, allowed)).map((hit) => hit.paragraphId));
  });

  it('answer every question alike in each mode', async () => {
    const engines = await Promise.all([SearchEngine.open(embedded), SearchEngine.open(postgres)]);
    try {
      assert.ok(engines.every((engine) => engine.hasVectors));
      for (const mode of ['lexical', 'hybrid', 'dense'] as const) {
        for (const question of QUESTIONS) {
          const [a, b] = await Promise.all(engines.map((engine) => engine.ask(question, { mode, top: 5 })));
          assert.deepEqual(outline(b!), outline(a!), `${mode}: ${question}`);
        }
      }
      assert.deepEqual(engines[1]!.examples, engines[0]!.examples);
    } finally {
      await Promise.all(engines.map((engine) => engine.close()));
    }
  });

  it('draw the same timelines, speaker profiles and comparisons', async () => {
    const engines = await Promise.all([SearchEngine.open(embedded), SearchEngine.open(postgres)]);
    const ids = (hits: { paragraphId: number }[]) => hits.map((hit) => hit.paragraphId);
    try {
      for (const topic of ['养老', '建设', '黄德明: 养老']) {
        const [a, b] = await Promise.all(engines.map((engine) => timeline(engine, topic, { mode: 'lexical' })));
        assert.deepEqual(b!.periods.map((p) => [p.period, ids(p.hits)]), a!.periods.map((p) => [p.period, ids(p.hits)]), topic);
        assert.deepEqual(ids(b!.ordered), ids(a!.ordered), topic);
      }
      for (const name of [...new Set(engines[0]!.speakerNames()), '黄', 'nobody']) {
        const [a, b] = await Promise.all(engines.map((engine) => speakerProfile(engine.reader, name)));
        assert.deepEqual(b, a, name);
      }
      const [a, b] = await Promise.all(engines.map((engine) => compare(engine, '黄德明', 'water-corpus-', '服务', { mode: 'lexical' })));
      assert.ok(a?.kind === 'compared' && b?.kind === 'compared');
      assert.deepEqual(b.sides.map((side) => ids(side.hits)), a.sides.map((side) => ids(side.hits)));
    } finally {
      await Promise.all(engines.map((engine) => engine.close()));
    }
  });
});
