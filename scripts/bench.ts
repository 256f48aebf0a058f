/**
 * `npm run bench -- [--part all|hnsw|ask|stores] [--sizes 10000,100000,300000] [--queries 200] [--k 10] [--ef 64,128] [--data uniform|lowrank]
 *                    [--questions FILE] [--rounds 1] [--store-sizes 10000,100000] [--database-url URL] [--sql-profile]
 *                    [--store-query-minutes 10]`
 *
 * `all` is hnsw and ask; `stores` runs alone (its 100k builds take several minutes), see bench-stores.ts:
 * the embedded store and PostgreSQL side by side on synthetic corpora of --store-sizes paragraphs,
 * on PGlite unless --database-url names a scratch database; --sql-profile adds its slowest statements;
 * --store-query-minutes caps the latency rounds of one size.
 *
 * Two measurements side by side, printed as Markdown tables on stdout (progress on stderr):
 *  1. HNSW (through the project's VectorIndex wrapper) against exact brute force on
 *     seeded random unit vectors: build time, index bytes per vector, recall@k, query time.
 *  2. Latency of a warm SearchEngine over the dev questions: query embedding,
 *     whole search, and the SQLite fetch of the top paragraphs, per search mode.
 *
 * The machine is shared and noisy: compare numbers within one run, not across runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Embedder, loadEmbedder, type RetrievalConfig, RetrievalError, SearchEngine, type SearchMode } from '../retrieval/api.js';
import { VectorIndex } from '../retrieval/index/vector-index.js';
import { elapsedMs, elapsedMsAsync, log, machineFacts, markdownTable, mean, percentile, readQuestions } from './bench-common.js';
import { benchStores } from './bench-stores.js';
import { type ParsedCommandLine, runCommand } from './cli.js';
import { seededRandom } from '../retrieval/seeded-random.js';

const DIMENSION = 384; // multilingual-e5-small
const DATA_SEED = 0x5eed_0001;
const QUERY_SEED = 0x5eed_0002;
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_QUESTIONS = path.resolve(PROJECT_ROOT, '../shared/eval/dev.jsonl');
/** Paragraphs fetched from SQLite per question: what the bot shows. */
const FETCHED_PARAGRAPHS = 5;

// ---------------------------------------------------------------- options

const dataKinds = ['uniform', 'lowrank'] as const;
type DataKind = (typeof dataKinds)[number];


interface BenchOptions {
  part: 'all' | 'hnsw' | 'ask' | 'stores';
  sizes: number[];
  queries: number;
  k: number;
  data: DataKind;
  /** ef values to search with; default HNSW_EF_SEARCH only. */
  efs: number[] | null;
  questions: string;
  rounds: number;
  storeSizes: number[];
  databaseUrl: string | null;
  sqlProfile: boolean;
  storeQueryMinutes: number;
  fullTextOnly: boolean;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new RetrievalError('CONFIG_INVALID', `${flag} takes positive integers, got "${text}"`);
  return value;
}

const command = {
  name: 'bench',
  about:
    'Benchmark (a script, not a test), Markdown tables on stdout: HNSW against brute force on random vectors, the\n' +
    'latency of a warm search engine over a question set per mode, or (--part stores) the embedded store against\n' +
    'PostgreSQL + pgvector. Build the index first. Compare ratios within one run, not times across runs.',
  options: {
    part: { type: 'string', default: 'all', value: 'all|hnsw|ask|stores', help: 'what to measure (all: hnsw and ask; stores runs alone)' },
    sizes: { type: 'string', default: '10000,100000,300000', value: 'N,N', help: 'HNSW: vector counts' },
    queries: { type: 'string', default: '200', value: 'N', help: 'HNSW: queries per size' },
    k: { type: 'string', default: '10', value: 'N', help: 'HNSW: neighbours for recall@k' },
    ef: { type: 'string', value: 'N,N', help: 'HNSW: ef_search values to compare (default HNSW_EF_SEARCH)' },
    data: { type: 'string', default: 'uniform', value: dataKinds.join('|'), help: 'HNSW: random or low-rank vectors' },
    questions: { type: 'string', default: DEFAULT_QUESTIONS, value: 'FILE', help: 'ask, stores: questions as JSON lines {"q"}' },
    rounds: { type: 'string', default: '1', value: 'N', help: 'ask: rounds over the questions' },
    'store-sizes': { type: 'string', default: '10000,100000', value: 'N,N', help: 'stores: synthetic corpus sizes in paragraphs' },
    'database-url': { type: 'string', value: 'URL', help: 'stores: a scratch PostgreSQL database to bench as well as PGlite in memory' },
    'sql-profile': { type: 'boolean', default: false, help: 'stores: add the statements that took the most time' },
    'store-query-minutes': { type: 'string', default: '10', value: 'N', help: 'stores: time for the latency rounds of one size' },
    'full-text-only': { type: 'boolean', default: false, help: 'stores: build without a model or vector index (full text at sizes where embedding takes hours)' },
  },
} as const;

function readOptions(values: ParsedCommandLine<typeof command.options>['values']): BenchOptions {
  if (!['all', 'hnsw', 'ask', 'stores'].includes(values.part)) throw new RetrievalError('CONFIG_INVALID', '--part takes all, hnsw, ask or stores');
  if (!(dataKinds as readonly string[]).includes(values.data)) throw new RetrievalError('CONFIG_INVALID', `--data takes ${dataKinds.join(' or ')}`);
  return {
    part: values.part as BenchOptions['part'],
    sizes: values.sizes.split(',').map((size) => positiveInteger('--sizes', size.trim())),
    queries: positiveInteger('--queries', values.queries),
    k: positiveInteger('--k', values.k),
    data: values.data as DataKind,
    efs: values.ef === undefined ? null : values.ef.split(',').map((ef) => positiveInteger('--ef', ef.trim())),
    questions: values.questions,
    rounds: positiveInteger('--rounds', values.rounds),
    storeSizes: values['store-sizes'].split(',').map((size) => positiveInteger('--store-sizes', size.trim())),
    databaseUrl: values['database-url'] ?? null,
    sqlProfile: values['sql-profile'],
    storeQueryMinutes: positiveInteger('--store-query-minutes', values['store-query-minutes']),
    fullTextOnly: values['full-text-only'],
  };
}

// ---------------------------------------------------------------- helpers

// ---------------------------------------------------------------- random vectors

/** Standard normal samples by Box–Muller; the second value of each pair is kept for the next call. */
function seededGaussian(seed: number): () => number {
  const random = seededRandom(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random())); // 1 - u avoids log(0)
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

function normaliseRows(matrix: Float32Array, dimension: number): Float32Array {
  for (let offset = 0; offset < matrix.length; offset += dimension) {
    let norm = 0;
    for (let i = 0; i < dimension; i++) norm += matrix[offset + i]! ** 2;
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimension; i++) matrix[offset + i]! *= scale;
  }
  return matrix;
}

/** Rank of the subspace the "lowrank" vectors live near: text embeddings have a low intrinsic dimension. */
const LOW_RANK = 32;
/** Isotropic noise added to "lowrank" vectors, relative to the subspace part (per coordinate). */
const LOW_RANK_NOISE = 0.1;
const BASIS_SEED = 0x5eed_0003;

/**
 * `count` unit vectors in one Float32Array, row after row. "uniform": uniform on the
 * sphere (normalised Gaussians), the structureless worst case for HNSW. "lowrank":
 * Gaussians in a fixed random 32-dimensional subspace plus a little noise, closer to
 * real embeddings. Rows depend only on the seed, so the 10k set is a prefix of the 100k set.
 */
function randomUnitVectors(kind: DataKind, count: number, dimension: number, seed: number): Float32Array {
  const gaussian = seededGaussian(seed);
  const matrix = new Float32Array(count * dimension);
  if (kind === 'uniform') {
    for (let i = 0; i < matrix.length; i++) matrix[i] = gaussian();
    return normaliseRows(matrix, dimension);
  }
  // The basis comes from its own seed so that data and queries share the subspace.
  const basisGaussian = seededGaussian(BASIS_SEED);
  const basis = Float32Array.from({ length: LOW_RANK * dimension }, basisGaussian);
  const latent = new Float32Array(LOW_RANK);
  for (let offset = 0; offset < matrix.length; offset += dimension) {
    for (let r = 0; r < LOW_RANK; r++) latent[r] = gaussian();
    for (let i = 0; i < dimension; i++) {
      let value = 0;
      for (let r = 0; r < LOW_RANK; r++) value += latent[r]! * basis[r * dimension + i]!;
      // Each coordinate of the subspace part has variance LOW_RANK; scale the noise to match.
      matrix[offset + i] = value + LOW_RANK_NOISE * Math.sqrt(LOW_RANK) * gaussian();
    }
  }
  return normaliseRows(matrix, dimension);
}

function row(matrix: Float32Array, index: number, dimension: number): Float32Array {
  return matrix.subarray(index * dimension, (index + 1) * dimension);
}

// ---------------------------------------------------------------- exact search

/**
 * Exact top-k by dot product (= cosine, the rows are unit vectors): one pass over
 * the matrix with a k-slot sorted buffer. A candidate costs one comparison unless it
 * beats the current k-th best, which after the first rows is rare, so this is O(N·d).
 */
function exactTopK(matrix: Float32Array, count: number, dimension: number, query: Float32Array, k: number): number[] {
  const ids = new Int32Array(k).fill(-1);
  const scores = new Float64Array(k).fill(-Infinity);
  for (let id = 0; id < count; id++) {
    const offset = id * dimension;
    // Four accumulators break the add dependency chain; V8 then keeps the loop tight.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let i = 0;
    for (; i + 3 < dimension; i += 4) {
      s0 += matrix[offset + i]! * query[i]!;
      s1 += matrix[offset + i + 1]! * query[i + 1]!;
      s2 += matrix[offset + i + 2]! * query[i + 2]!;
      s3 += matrix[offset + i + 3]! * query[i + 3]!;
    }
    for (; i < dimension; i++) s0 += matrix[offset + i]! * query[i]!;
    const score = s0 + s1 + s2 + s3;
    if (score <= scores[k - 1]!) continue;
    // Insertion into the sorted buffer (best first).
    let slot = k - 1;
    while (slot > 0 && scores[slot - 1]! < score) {
      scores[slot] = scores[slot - 1]!;
      ids[slot] = ids[slot - 1]!;
      slot--;
    }
    scores[slot] = score;
    ids[slot] = id;
  }
  return Array.from(ids).filter((id) => id >= 0);
}

// ---------------------------------------------------------------- HNSW vs brute force

interface EfResult {
  ef: number;
  recall: number;
  hnswMs: number;
}

interface SizeResult {
  size: number;
  buildSeconds: number;
  bytesPerVector: number;
  recallFreshBuild: number;
  bruteMs: number;
  byEf: EfResult[];
}

/**
 * VectorIndex.build takes a Map and gives no progress; a Map whose iterator
 * reports every `step` entries shows how far the (synchronous) build has got.
 */
class ProgressMap extends Map<number, number[]> {
  constructor(entries: Iterable<[number, number[]]>, private readonly label: string, private readonly step: number) {
    super(entries);
  }

  override *[Symbol.iterator](): MapIterator<[number, number[]]> {
    let done = 0;
    const start = performance.now();
    for (const entry of super[Symbol.iterator]()) {
      yield entry;
      done++;
      if (done % this.step === 0 || done === this.size) {
        const seconds = (performance.now() - start) / 1000;
        log(`  ${this.label}: ${done}/${this.size} inserted, ${seconds.toFixed(0)} s`);
      }
    }
  }
}

function asMap(matrix: Float32Array, count: number, dimension: number): ProgressMap {
  function* entries(): Generator<[number, number[]]> {
    // hnswlib-node wants plain arrays (the wrapper copies with Array.from anyway).
    for (let id = 0; id < count; id++) yield [id, Array.from(row(matrix, id, dimension))];
  }
  return new ProgressMap(entries(), `build N=${count}`, Math.max(1000, Math.round(count / 20)));
}

function recallAtK(found: number[], exact: number[], k: number): number {
  const truth = new Set(exact);
  return found.filter((id) => truth.has(id)).length / k;
}

/** Recall and mean query time of an index read back from disk with a given ef, as production does. */
function searchWithEf(file: string, size: number, ef: number, queryArrays: number[][], truth: number[][], k: number): EfResult {
  const index = VectorIndex.read(file, DIMENSION, size, ef);
  log(`N=${size}: HNSW search for ${queryArrays.length} queries (ef=${ef})`);
  index.search(queryArrays[0]!, k); // the first call touches cold pages
  const times: number[] = [];
  const recalls = queryArrays.map((query, q) => {
    const { value, ms } = elapsedMs(() => index.search(query, k));
    times.push(ms);
    return recallAtK(value.map((hit) => hit.paragraphId), truth[q]!, k);
  });
  return { ef, recall: mean(recalls), hnswMs: mean(times) };
}

function benchOneSize(
  data: Float32Array, size: number, queries: Float32Array, queryCount: number, k: number, efs: number[], config: RetrievalConfig,
  tempDir: string,
): SizeResult {
  const parameters = { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION };
  const vectors = asMap(data, size, DIMENSION);
  log(`N=${size}: building HNSW (M=${parameters.m}, efConstruction=${parameters.efConstruction})`);
  const { value: fresh, ms: buildMs } = elapsedMs(() => VectorIndex.build(vectors, DIMENSION, parameters));
  vectors.clear();

  const queryArrays = Array.from({ length: queryCount }, (_, q) => Array.from(row(queries, q, DIMENSION)));
  log(`N=${size}: exact search for ${queryCount} queries`);
  const bruteTimes: number[] = [];
  const truth = queryArrays.map((_, q) => {
    const { value, ms } = elapsedMs(() => exactTopK(data, size, DIMENSION, row(queries, q, DIMENSION), k));
    bruteTimes.push(ms);
    return value;
  });

  // A freshly built VectorIndex never has ef set (only `read` does), so hnswlib's default applies.
  const recallFreshBuild = mean(queryArrays.map((query, q) => recallAtK(fresh.search(query, k).map((h) => h.paragraphId), truth[q]!, k)));

  // Production searches an index read from disk with HNSW_EF_SEARCH; do the same (read is the only way to set ef).
  const file = path.join(tempDir, `bench-${size}.hnsw`);
  fresh.write(file);
  const bytesPerVector = fs.statSync(file).size / size;
  const byEf = efs.map((ef) => searchWithEf(file, size, ef, queryArrays, truth, k));
  fs.rmSync(file);
  return { size, buildSeconds: buildMs / 1000, bytesPerVector, recallFreshBuild, bruteMs: mean(bruteTimes), byEf };
}

/** Guards the recall numbers: the fast exact search must agree with a plain full sort. */
function checkExactSearch(data: Float32Array, size: number, query: Float32Array, k: number): void {
  const count = Math.min(size, 5000);
  const scores = Array.from({ length: count }, (_, id) => ({ id, score: row(data, id, DIMENSION).reduce((sum, x, i) => sum + x * query[i]!, 0) }));
  const expected = scores.sort((a, b) => b.score - a.score).slice(0, k).map((s) => s.id);
  const actual = exactTopK(data, count, DIMENSION, query, k);
  if (expected.join() !== actual.join()) throw new Error(`exact search self-check failed: ${actual.join()} ≠ ${expected.join()}`);
}

function benchHnsw(options: BenchOptions, config: RetrievalConfig): string {
  const largest = Math.max(...options.sizes);
  log(`generating ${largest} + ${options.queries} ${options.data} random unit vectors of dimension ${DIMENSION}`);
  const data = randomUnitVectors(options.data, largest, DIMENSION, DATA_SEED);
  // Queries are fresh random vectors, not dataset points: the harder, more honest case.
  const queries = randomUnitVectors(options.data, options.queries, DIMENSION, QUERY_SEED);
  checkExactSearch(data, largest, row(queries, 0, DIMENSION), options.k);
  const efs = options.efs ?? [config.HNSW_EF_SEARCH];
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-hnsw-'));
  const results: SizeResult[] = [];
  try {
    for (const size of options.sizes) results.push(benchOneSize(data, size, queries, options.queries, options.k, efs, config, tempDir));
  } finally {
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
  return hnswReport(results, options, config);
}

function hnswReport(results: SizeResult[], options: BenchOptions, config: RetrievalConfig): string {
  const k = options.k;
  const title =
    `### HNSW vs exact brute force — ${options.data} random unit vectors, d=${DIMENSION}, ${options.queries} queries, k=${k}, ` +
    `M=${config.HNSW_M}, efConstruction=${config.HNSW_EF_CONSTRUCTION}`;
  const rows = results.flatMap((r) =>
    r.byEf.map((e) => [
      r.size, r.buildSeconds.toFixed(1), r.bytesPerVector.toFixed(0), r.recallFreshBuild.toFixed(3),
      e.ef, e.recall.toFixed(3), e.hnswMs.toFixed(3), r.bruteMs.toFixed(2), `${(r.bruteMs / e.hnswMs).toFixed(0)}×`,
    ]),
  );
  const table = markdownTable(
    ['N', 'build (s)', 'index bytes/vector', `recall@${k} fresh build (ef unset)`, 'ef', `recall@${k}`, 'HNSW query (ms)', 'brute query (ms)', 'brute / HNSW'],
    rows,
  );
  const notes = [
    `Raw vector: ${DIMENSION * 4} bytes (float32). Brute force: single-threaded JS, one pass over a Float32Array matrix.`,
    'HNSW columns: the index written with VectorIndex.write and read back with VectorIndex.read (which sets ef), as production does.',
    '"fresh build": searched straight after VectorIndex.build, which never sets ef, so hnswlib\'s default (10) applies.',
    options.data === 'uniform'
      ? 'Uniform random vectors in 384 dimensions have no structure for HNSW to exploit: a worst case; expect higher recall on real embeddings (compare `--data lowrank`).'
      : `lowrank: Gaussians in a random ${LOW_RANK}-dimensional subspace plus ${LOW_RANK_NOISE} relative noise, normalised; queries from the same distribution.`,
  ];
  return `${title}\n\n${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}`;
}

// ---------------------------------------------------------------- ask latency

/** Samples in ms, keyed by "mode · component". Insertion order is table order. */
type Samples = Map<string, number[]>;

function record(samples: Samples, key: string, ms: number): void {
  const list = samples.get(key) ?? [];
  list.push(ms);
  samples.set(key, list);
}

/** The engine's embedder is private; loadEmbedder caches per model, so this is the same instance. */
async function engineEmbedder(engine: SearchEngine, config: RetrievalConfig): Promise<Embedder | null> {
  if (!engine.hasVectors) return null;
  const loaded = await loadEmbedder(config);
  return loaded.ok ? loaded.embedder : null;
}

async function timeQuestion(engine: SearchEngine, embedder: Embedder | null, modes: SearchMode[], question: string, samples: Samples): Promise<void> {
  if (embedder) record(samples, 'model · query embedding', (await elapsedMsAsync(() => embedder.embedQueries([question]))).ms);
  for (const mode of modes) {
    const { value: result, ms } = await elapsedMsAsync(() => engine.search(question, { mode, top: FETCHED_PARAGRAPHS }));
    record(samples, `${mode} · search (total)`, ms);
    const ids = result.results.map((hit) => hit.paragraphId);
    record(samples, `${mode} · paragraph fetch (${FETCHED_PARAGRAPHS} ids)`, (await elapsedMsAsync(() => engine.reader.paragraphs(ids))).ms);
  }
}

async function benchAsk(options: BenchOptions, config: RetrievalConfig): Promise<string> {
  const questions = readQuestions(options.questions);
  const engine = await SearchEngine.open(config);
  try {
    const embedder = await engineEmbedder(engine, config);
    const modes: SearchMode[] = engine.hasVectors ? ['lexical', 'hybrid', 'dense'] : ['lexical'];
    for (const notice of engine.notices) log(`note: ${notice}`);
    log(`ask latency: ${questions.length} questions × ${options.rounds} round(s), modes ${modes.join(', ')}`);

    // Warm-up: the first search compiles statements, loads jieba's dictionary and the ONNX session.
    await timeQuestion(engine, embedder, modes, questions[0]!, new Map());
    const samples: Samples = new Map();
    for (let round = 0; round < options.rounds; round++) {
      for (const question of questions) await timeQuestion(engine, embedder, modes, question, samples);
    }

    const model = embedder ? `model ${embedder.model} (dimension ${embedder.dimension}), ${config.EMBEDDING_THREADS} ONNX thread(s)` : 'no vectors: lexical only';
    const title = `### Search latency, warm engine — ${path.basename(options.questions)}, ${engine.manifest.paragraphs} paragraphs, ${model}`;
    const table = markdownTable(
      ['mode · component', 'n', 'p50 (ms)', 'p95 (ms)'],
      [...samples].map(([key, list]) => [key, list.length, percentile(list, 50).toFixed(2), percentile(list, 95).toFixed(2)]),
    );
    return `${title}\n\n${table}\n\n"search (total)" includes the query embedding in hybrid and dense modes; the SQLite fetch is timed separately after it.`;
  } finally {
    await engine.close();
  }
}

// ---------------------------------------------------------------- main

runCommand(command, async (config, { values }) => {
  const options = readOptions(values);
  // Print each part as soon as it is done: the 300k build takes a long time.
  console.log(`## Benchmark\n\n${machineFacts()}`);
  if (options.part === 'stores') {
    const stores = { sizes: options.storeSizes, questions: readQuestions(options.questions), databaseUrl: options.databaseUrl, sqlProfile: options.sqlProfile,
      queryMinutes: options.storeQueryMinutes, fullTextOnly: options.fullTextOnly,
    };
    console.log(`\n${await benchStores(stores, config)}`);
    return;
  }
  if (options.part !== 'hnsw') console.log(`\n${await benchAsk(options, config)}`);
  if (options.part !== 'ask') console.log(`\n${benchHnsw(options, config)}`);
});
