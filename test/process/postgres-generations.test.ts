/**
 * Generations in PostgreSQL: each build is a schema of its own, published by
 * moving one pointer row; unchanged paragraphs keep their vectors; old and
 * crashed generations are dropped; a server without pgvector or out of reach
 * gets a message that says what to do.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { loadRetrievalConfig } from '../../retrieval/config.js';
import { buildIndex } from '../../retrieval/api.js';
import { EngineHolder } from '../../retrieval/search/engine-holder.js';
import { openUpToDate } from '../../retrieval/search/open-up-to-date.js';
import { SearchEngine } from '../../retrieval/search/search.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { writeTestModel } from '../../scripts/test-model.js';
import { fixtureCorpus, paragraphCount, tempDir, testConfig, testModelDir } from '../support/temp.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const generationSchemas = (url: string) =>
  query<{ name: string }>(url, "SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'speechqa_g%' ORDER BY nspname").then((rows) =>
    rows.map((row) => row.name),
  );

/** The tests' own corpus: the water and parks summaries and five years of elderly-care meetings. */
const CORPORA = ['water-corpus', 'research-corpus'];

describe('PostgreSQL generations', () => {
  let server: PostgresServer;
  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.stop());

  it('publishes each build as a new generation, reuses unchanged vectors, keeps two, and the engine holder switches', async () => {
    const corpus = fixtureCorpus(CORPORA);
    // A fresh INDEX_DIR for every build: no local embedding cache, so reused vectors can only come from the database.
    const config = () => testConfig({ CORPUS_DIR: corpus, INDEX_DIR: tempDir('index'), DATABASE_URL: server.url, EMBEDDING_MODEL: modelDir });
    const modelDir = await testModelDir();
    const first = await buildIndex(config());
    const paragraphs = paragraphCount(corpus);
    assert.equal(first.vectors?.embedded, paragraphs);
    const logged: string[] = [];
    // Neither polling nor notifications: the test decides when this holder notices a build.
    const holder = await EngineHolder.open(config(), { pollMs: 60_000, watch: false, recoverAtOnce: false, log: (line) => logged.push(line) });
    try {
      assert.equal(holder.current.generation, first.generation);

      fs.appendFileSync(path.join(corpus, 'water-corpus-001_water.txt'), '\n\n地下综合管廊的巡检机器人已覆盖全部十二公里廊道。\n');
      const second = await buildIndex(config());
      assert.ok(Number(second.generation) > Number(first.generation));
      assert.equal(second.vectors?.reused, paragraphs, 'every unchanged paragraph keeps its vector');
      assert.equal(second.vectors?.embedded, 1, 'only the new paragraph is embedded');

      const before = await holder.use((engine) => engine.search('巡检机器人', { mode: 'lexical' }));
      assert.ok(!before.results.some((hit) => hit.text.includes('巡检机器人')), 'the old generation is in use until the switch');
      await holder.refresh();
      assert.equal(holder.current.generation, second.generation);
      const afterSwitch = await holder.use((engine) => engine.search('巡检机器人', { mode: 'hybrid' }));
      assert.ok(afterSwitch.results[0]!.text.includes('巡检机器人'));

      // From here on the holder misses notices, as a replica whose LISTEN connection dropped does. (PGlite never
      // delivers NOTIFY to another connection; a real server would move the holder on at each publish.)
      await query(server.url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'");
      const third = await buildIndex(config());
      const published = await query<{ id: string }>(server.url, "SELECT id FROM speechqa_generations WHERE state = 'published' ORDER BY id");
      assert.deepEqual(published.map((row) => row.id), [second.generation, third.generation]);
      assert.deepEqual(await generationSchemas(server.url), [`speechqa_g${second.generation}`, `speechqa_g${third.generation}`]);

      // A fourth build prunes the second, which this holder still reads (it has not polled since): the question is
      // asked again on the generation in use instead of failing.
      const fourth = await buildIndex(config());
      assert.deepEqual(await generationSchemas(server.url), [`speechqa_g${third.generation}`, `speechqa_g${fourth.generation}`]);
      assert.equal(holder.current.generation, second.generation);
      const lagging = await holder.use((engine) => engine.search('巡检机器人', { mode: 'hybrid' }));
      assert.ok(lagging.results[0]!.text.includes('巡检机器人'));
      assert.equal(holder.current.generation, fourth.generation);
      assert.ok(logged.some((line) => line.includes(`generation ${second.generation} was pruned under a question`)), logged.join('\n'));
    } finally {
      await holder.close();
    }
  });

  it('drops what a crashed build left behind, and a failed build leaves the generation in use', async () => {
    const config = testConfig({ CORPUS_DIR: fixtureCorpus(CORPORA), INDEX_DIR: tempDir('index'), DATABASE_URL: server.url, EMBEDDING_MODEL: 'none/none' });
    const [{ current }] = (await query<{ current: string }>(server.url, 'SELECT generation AS current FROM speechqa_current')) as [{ current: string }];
    const [{ id }] = (await query<{ id: string }>(server.url, "INSERT INTO speechqa_generations (state) VALUES ('building') RETURNING id")) as [{ id: string }];
    await query(server.url, `CREATE SCHEMA speechqa_g${id}; CREATE TABLE speechqa_g${id}.paragraphs (id int)`);

    const emptyCorpus = tempDir('corpus');
    fs.writeFileSync(path.join(emptyCorpus, 'empty.txt'), '');
    await assert.rejects(buildIndex({ ...config, CORPUS_DIR: path.join(emptyCorpus, 'missing') }), /does not exist/);
    assert.deepEqual(await query(server.url, 'SELECT generation AS current FROM speechqa_current'), [{ current }]);

    const rebuilt = await buildIndex(config);
    assert.ok(!(await generationSchemas(server.url)).includes(`speechqa_g${id}`), 'the crashed generation is gone');
    assert.deepEqual(await query(server.url, "SELECT id FROM speechqa_generations WHERE state = 'building'"), []);
    const engine = await SearchEngine.open(config);
    try {
      assert.equal(engine.generation, rebuilt.generation);
      assert.equal(engine.hasVectors, false);
      assert.ok((await engine.search('养老服务', { mode: 'hybrid' })).answered);
    } finally {
      await engine.close();
    }
  });

  it('a replica whose model loads only later takes up the shared vectors without rebuilding the index', async (t) => {
    const model = path.join(tempDir('replica-model', t), 'tiny');
    await writeTestModel(model);
    const config = testConfig({ CORPUS_DIR: fixtureCorpus(CORPORA), INDEX_DIR: tempDir('index', t), DATABASE_URL: server.url, EMBEDDING_MODEL: model });
    // Built by another process, as on the machine that holds the corpus: this process has not loaded the model yet.
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-index.ts'], {
      env: { ...process.env, CORPUS_DIR: config.CORPUS_DIR, INDEX_DIR: tempDir('index', t), DATABASE_URL: server.url, EMBEDDING_MODEL: model, MODELS_DIR: config.MODELS_DIR, ALLOW_REMOTE_MODELS: 'false' },
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, build.stderr);
    const generation = /index:\s+(\d+)/.exec(build.stdout)?.[1];
    assert.ok(generation, build.stdout);
    fs.rmSync(path.join(model, 'onnx'), { recursive: true }); // this replica's copy of the model is broken
    const logged: string[] = [];
    const replica = await EngineHolder.open({ ...config, INDEX_DIR: tempDir('replica-index', t) }, {
      pollMs: 60_000, graceMs: 10, log: (line) => logged.push(line), recoverAtOnce: false,
    });
    t.after(() => replica.close());
    assert.equal(replica.current.hasVectors, false);

    await writeTestModel(model);
    await replica.recoverVectors();
    assert.equal(replica.current.hasVectors, true);
    assert.equal(replica.current.generation, generation, 'the shared index was not rebuilt');
    assert.equal((await replica.use((engine) => engine.ask('智慧水表', { mode: 'dense' }))).mode, 'dense');
  });

  it('rebuilds a generation the previous layout wrote (postings as rows of counts), rather than reading it', async (t) => {
    const config = testConfig({ CORPUS_DIR: fixtureCorpus(['water-corpus']), INDEX_DIR: tempDir('index', t), DATABASE_URL: server.url, EMBEDDING_MODEL: 'none/none' });
    const old = await buildIndex(config);
    const schema = `speechqa_g${old.generation}`;
    await query(server.url, `DROP TABLE ${schema}.postings;
      CREATE TABLE ${schema}.postings (term TEXT NOT NULL, paragraph_id INTEGER NOT NULL, tf INTEGER NOT NULL, length INTEGER NOT NULL);
      UPDATE speechqa_generations SET manifest = jsonb_set(manifest, '{schemaVersion}', '4') WHERE id = ${old.generation}`);
    await assert.rejects(SearchEngine.open(config), /schema version 4, this program needs version \d+\. Rebuild it with `npm run build-index`/);
    const holder = await openUpToDate(config, { pollMs: 60_000, watch: false });
    try {
      assert.notEqual(holder.current.generation, old.generation);
      assert.ok((await holder.use((engine) => engine.search('智慧水表', { mode: 'lexical' }))).results.length > 0);
    } finally {
      await holder.close();
    }
  });

  it('records its migrations, and applies them once', async (t) => {
    // Two builds (whatever other tests built before): the migrations are still there once each.
    const config = testConfig({ CORPUS_DIR: path.resolve('test/fixtures/water-corpus'), INDEX_DIR: tempDir('index', t), DATABASE_URL: server.url, EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    await buildIndex(config);
    const rows = await query<{ version: number }>(server.url, 'SELECT version FROM speechqa_migrations ORDER BY version');
    assert.ok(rows.length >= 2, 'the index tables and the reader feedback tables');
    assert.deepEqual(rows.map((row) => row.version), rows.map((_, i) => i + 1));
    const tables = await query<{ name: string }>(server.url, "SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'speechqa_feedback%' ORDER BY 1");
    assert.deepEqual(tables.map((t) => t.name), ['speechqa_feedback_flags', 'speechqa_feedback_salt', 'speechqa_feedback_votes']);
  });
});

describe('PostgreSQL that cannot be used', () => {
  it('says to install pgvector when the server lacks it', async () => {
    const bare = await startPostgres({ extensions: [] });
    try {
      const config = testConfig({ CORPUS_DIR: path.resolve('test/fixtures/water-corpus'), INDEX_DIR: tempDir('index'), DATABASE_URL: bare.url, EMBEDDING_MODEL: 'none/none' });
      await assert.rejects(buildIndex(config), /CREATE EXTENSION vector failed: install pgvector ≥ 0\.5 on the server/);
      await assert.rejects(SearchEngine.open(config), /CREATE EXTENSION vector failed/);
    } finally {
      await bare.stop();
    }
  });

  it('names the database it cannot reach, without the password', async () => {
    const config = testConfig({ INDEX_DIR: tempDir('index'), DATABASE_URL: 'postgres://bot:s3cret@127.0.0.1:1/speeches', EMBEDDING_MODEL: 'none/none' });
    await assert.rejects(SearchEngine.open(config), (error: Error) => {
      assert.match(error.message, /Cannot use the database at postgres:\/\/bot:\*\*\*@127\.0\.0\.1:1\/speeches .*Check DATABASE_URL/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  });

  it('refuses a DATABASE_URL that is not PostgreSQL', () => {
    assert.throws(() => loadRetrievalConfig({ DATABASE_URL: 'mysql://localhost/db' }), /DATABASE_URL: must be a PostgreSQL URL/);
  });
});
