/**
 * `npm run bench -- --part stores`: the embedded store (SQLite + hnswlib) and
 * PostgreSQL + pgvector side by side, at several corpus sizes. For each size a
 * deterministic synthetic corpus is made by recombining sentences of the
 * configured corpus; each store builds it (with the tiny test model and a warm
 * embedding cache, so the build time is the store's, not the model's), then
 * all answer the same questions, interleaved, in lexical and hybrid modes,
 * beside the floor: the raw SQLite FTS5 BM25 query of the same terms on the
 * embedded store's own table.
 *
 * PostgreSQL is PGlite behind its socket server (single-threaded WebAssembly,
 * in memory), and also a real server when `--database-url` names one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { buildIndex, type BuildSummary, type RetrievalConfig, SearchEngine, type SearchMode } from '../retrieval/api.js';
import { readCorpus } from '../retrieval/ingest/corpus.js';
import { embeddingCachePath } from '../retrieval/index/build.js';
import { Segmenter } from '../retrieval/index/segment.js';
import { fullTextQuery } from '../retrieval/index/store/sqlite/sqlite-reader.js';
import { files as buildFiles } from '../retrieval/index/store/sqlite/build-folders.js';
import { questionTerms } from '../retrieval/search/search-lexical.js';
import { startPostgres } from '../test/support/postgres.js';
import { elapsedMs, elapsedMsAsync, log, markdownTable, mean, percentile } from './bench-common.js';
import { seededRandom } from '../retrieval/seeded-random.js';
import { writeTestModel } from './test-model.js';

const CORPUS_SEED = 0x5eed_0004;
/** A document per this many paragraphs: parsing compares each paragraph with the earlier ones of its document. */
const PARAGRAPHS_PER_DOCUMENT = 200;
/** A numbered theme per this many paragraphs: the parser warns about longer sections, as a sign of a layout it misread. */
const PARAGRAPHS_PER_SECTION = 20;
const SENTENCES_PER_PARAGRAPH = { min: 2, max: 4 };
/** Sentences shorter than this are mostly fragments ("二是。"); longer ones are lists that would dominate a paragraph. */
const SENTENCE_LENGTH = { min: 8, max: 160 };
/** A sentence: text up to its final punctuation, and a closing quote after it. */
const SENTENCE = /[^。！？!?]+[。！？!?]+[”’」』"]?/g;
const HAN = /\p{Script=Han}/u;
const MODES: SearchMode[] = ['lexical', 'hybrid'];
/** Latency samples per store and mode: the question list is repeated until there are at least this many. */
const MIN_SAMPLES = 100;
/** Results compared between the stores, per question: what the bot shows and pages through first. */
const COMPARED_RESULTS = 5;
/** Paragraphs the floor query ranks: as many as search shows and fuses (search.ts). */
const FLOOR_LIMIT = 50;

// ---------------------------------------------------------------- the synthetic corpus

/** The distinct sentences of `paragraphs`, in order of first appearance. */
export function seedSentences(paragraphs: Iterable<string>): string[] {
  const sentences = new Set<string>();
  for (const text of paragraphs) {
    for (const [match] of text.matchAll(SENTENCE)) {
      const sentence = match.trim();
      if (sentence.length >= SENTENCE_LENGTH.min && sentence.length <= SENTENCE_LENGTH.max && HAN.test(sentence)) sentences.add(sentence);
    }
  }
  return [...sentences];
}

/** The distinct sentences of the corpus in `dir`, as parsed: what synthetic corpora are recombined from. */
export function corpusSentences(dir: string): string[] {
  const corpus = readCorpus(dir);
  return seedSentences(corpus.documents.flatMap((d) => d.sections.flatMap((s) => s.paragraphs.map((p) => p.text))));
}

/** One line of at least `bytes` bytes (UTF-8): `sentences` drawn with a seeded PRNG, as a text pasted without line breaks. */
export function runOnParagraph(sentences: readonly string[], bytes: number, seed = CORPUS_SEED + 1): string {
  const random = seededRandom(seed);
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const sentence = sentences[Math.floor(random() * sentences.length)]!;
    parts.push(sentence);
    size += Buffer.byteLength(sentence);
  }
  return parts.join('');
}

export interface CorpusFile {
  file: string;
  text: string;
}

/**
 * `paragraphs` paragraphs of 2–4 sentences drawn with a seeded PRNG, in documents of
 * PARAGRAPHS_PER_DOCUMENT: a title line, then numbered themes of PARAGRAPHS_PER_SECTION
 * paragraphs, blank lines between, as a newspaper feature is laid out. The same
 * arguments always give the same files.
 */
export function syntheticCorpus(sentences: readonly string[], paragraphs: number, seed = CORPUS_SEED): CorpusFile[] {
  if (sentences.length < 2 * SENTENCES_PER_PARAGRAPH.max) throw new Error(`too few seed sentences to recombine: ${sentences.length}`);
  const random = seededRandom(seed);
  const pick = (): string => sentences[Math.floor(random() * sentences.length)]!;
  const files: CorpusFile[] = [];
  for (let first = 0; first < paragraphs; first += PARAGRAPHS_PER_DOCUMENT) {
    const number = files.length + 1;
    const lines = [`合成语料第${number}篇`];
    for (let i = first; i < Math.min(paragraphs, first + PARAGRAPHS_PER_DOCUMENT); i++) {
      const inDocument = i - first;
      if (inDocument % PARAGRAPHS_PER_SECTION === 0) lines.push(`${inDocument / PARAGRAPHS_PER_SECTION + 1}.第${number}篇的一个主题`);
      const { min, max } = SENTENCES_PER_PARAGRAPH;
      const count = min + Math.floor(random() * (max - min + 1));
      lines.push(Array.from({ length: count }, pick).join(''));
    }
    files.push({ file: `synthetic-${String(number).padStart(5, '0')}.txt`, text: `${lines.join('\n\n')}\n` });
  }
  return files;
}

export function writeCorpusFiles(dir: string, files: readonly CorpusFile[]): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const { file, text } of files) fs.writeFileSync(path.join(dir, file), text);
}

// ---------------------------------------------------------------- PostgreSQL statement profile

/** Total milliseconds and count per statement shape, from the moment pg hands a query to its connection until the reply. */
type StatementProfile = Map<string, { ms: number; calls: number }>;

/** A statement's first 100 characters on one line, with generation numbers and literal lists made alike. */
function statementShape(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/speechqa_g\d+/g, 'speechqa_gN').replace(/ = \d+\b/g, ' = N').slice(0, 100);
}

/**
 * Wraps pg's Client.query (which Pool.query uses too) to time every statement by its shape.
 * Returns a function that removes the wrapper. Only for this benchmark: it changes the module for the whole process.
 */
function profileStatements(profile: StatementProfile): () => void {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]): unknown {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '(unknown)');
    const start = performance.now();
    const done = (): void => {
      const entry = profile.get(statementShape(text)) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - start;
      entry.calls += 1;
      profile.set(statementShape(text), entry);
    };
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (...results: unknown[]) => {
        done();
        return (callback as (...r: unknown[]) => unknown)(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) result.then(done, done);
    return result;
  };
  return () => {
    prototype.query = original;
  };
}

function profileTable(title: string, profile: StatementProfile, top = 8): string {
  const rows = [...profile]
    .sort(([, a], [, b]) => b.ms - a.ms)
    .slice(0, top)
    .map(([shape, { ms, calls }]) => [`\`${shape.replaceAll('|', '\\|')}\``, calls, (ms / 1000).toFixed(2), (ms / calls).toFixed(1)]);
  return `#### ${title}\n\n${markdownTable(['statement (start)', 'calls', 'total s', 'mean ms'], rows)}`;
}

// ---------------------------------------------------------------- the benchmark

export interface StoreBenchOptions {
  sizes: number[];
  questions: string[];
  /** A PostgreSQL server to bench as well as PGlite: use a scratch database, the bench publishes generations there. */
  databaseUrl: string | null;
  /** Print the PostgreSQL statements that took most time in the builds and in the queries. */
  sqlProfile: boolean;
  /** Time for the latency rounds of one size: a slow store at a large size gets fewer samples rather than hours. */
  queryMinutes: number;
  /** Build without a model (no embedding, no vector index): full text only, where embedding would take hours. */
  fullTextOnly: boolean;
}

interface StoreUnderTest {
  name: string;
  config: RetrievalConfig;
}

interface StoreResult {
  store: string;
  paragraphs: number;
  buildSeconds: number;
  /** Opening the engine (it measures nothing at open: the evidence thresholds come with the generation). */
  openSeconds: number;
  /** Per mode, every question's time, first round (each question asked for the first time) and later rounds apart. */
  samples: Map<SearchMode, { first: number[]; warm: number[] }>;
  /** Questions whose first results equal the embedded store's, per mode, of `compared` questions. */
  sameResults: Map<SearchMode, number>;
  compared: number;
  /** Per mode, each question's slowest time. */
  slowest: Map<SearchMode, Map<string, number>>;
}

interface SizeResult {
  size: number;
  /** The first build, which embeds every paragraph; null without vectors. */
  coldBuildSeconds: number | null;
  stores: StoreResult[];
  /** The raw FTS5 query of each question's terms, top FLOOR_LIMIT, timed beside the searches. */
  floor: number[];
  buildProfile: StatementProfile;
  queryProfile: StatementProfile;
}

function copyEmbeddingCache(fromIndexDir: string, toIndexDir: string): void {
  fs.mkdirSync(toIndexDir, { recursive: true });
  const from = embeddingCachePath(fromIndexDir);
  const to = embeddingCachePath(toIndexDir);
  // The cache is in WAL mode: its side file holds what was not checkpointed yet.
  for (const suffix of ['', '-wal']) if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
}

async function timedBuild(name: string, config: RetrievalConfig): Promise<{ summary: BuildSummary; seconds: number }> {
  log(`  ${name}: building`);
  const { value: summary, ms } = await elapsedMsAsync(() => buildIndex(config, (line) => log(`    ${line}`)));
  const vectors = summary.vectors;
  log(`  ${name}: ${summary.paragraphs} paragraphs in ${summary.documents} documents, ${(ms / 1000).toFixed(1)} s` +
    (vectors ? ` (embedded ${vectors.embedded}, from cache ${vectors.cached}, reused ${vectors.reused})` : ' (no vectors)'));
  return { summary, seconds: ms / 1000 };
}

function sameIds(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

type QueryTimings = Omit<StoreResult, 'buildSeconds' | 'paragraphs'>;

function emptyTimings(store: string, openSeconds: number): QueryTimings {
  return {
    store, openSeconds, compared: 0,
    samples: new Map(MODES.map((m) => [m, { first: [], warm: [] }])), sameResults: new Map(MODES.map((m) => [m, 0])),
    slowest: new Map(MODES.map((m) => [m, new Map()])),
  };
}

/**
 * The floor: SQLite FTS5's own BM25 ranking of the terms full-text search sends for a question, top FLOOR_LIMIT, on
 * the embedded store's table — what no full-text search over that table can beat.
 */
class FullTextFloor {
  private readonly db: Database.Database;
  private readonly statement: Database.Statement;

  constructor(private readonly engine: SearchEngine) {
    this.db = new Database(path.join(engine.generation, buildFiles.database), { readonly: true, fileMustExist: true });
    this.statement = this.db.prepare(
      'SELECT rowid, bm25(paragraph_words) AS score FROM paragraph_words WHERE paragraph_words MATCH ? ORDER BY score LIMIT ?',
    );
  }

  /** Milliseconds of the query, or null when the question has no term the index knows. */
  time(question: string): number | null {
    const terms = questionTerms(this.engine.reader.statistics, Segmenter.for(this.engine.catalogue.vocabulary), question);
    if (terms.length === 0) return null;
    return elapsedMs(() => this.statement.all(fullTextQuery(terms), FLOOR_LIMIT)).ms;
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Opens every store's engine, asks each question of each store in turn (so drift on the shared machine hits all
 * alike), then times the raw FTS5 floor of the same question, until there are MIN_SAMPLES per store and mode or
 * `budgetMs` has passed, and closes them. The first round is every question's first time: nothing is warmed up.
 */
async function timeQueries(stores: StoreUnderTest[], questions: string[], budgetMs: number): Promise<{ timings: QueryTimings[]; floor: number[] }> {
  const rounds = Math.ceil(MIN_SAMPLES / questions.length);
  const engines: SearchEngine[] = [];
  let fullTextFloor: FullTextFloor | null = null;
  const floor: number[] = [];
  try {
    const results: QueryTimings[] = [];
    for (const store of stores) {
      const { value: engine, ms } = await elapsedMsAsync(async () => {
        const opened = await SearchEngine.open(store.config);
        engines.push(opened);
        return opened;
      });
      log(`  ${store.name}: open ${(ms / 1000).toFixed(1)} s`);
      if (!engine.hasVectors) log(`  ${store.name}: no vectors (${engine.notices.join(' ')}): hybrid falls back to full text`);
      results.push(emptyTimings(store.name, ms / 1000));
    }
    fullTextFloor = new FullTextFloor(engines[0]!);
    log(`  queries: ${questions.length} questions × ${rounds} rounds × ${MODES.join(', ')} × ${stores.length} stores, at most ${(budgetMs / 60_000).toFixed(0)} min`);
    const deadline = performance.now() + budgetMs;
    for (let round = 0; round < rounds; round++) {
      for (const question of questions) {
        if (performance.now() > deadline) {
          log(`  queries: time budget spent in round ${round + 1}`);
          return { timings: results, floor };
        }
        for (const mode of MODES) {
          const ids: number[][] = [];
          for (const [s, engine] of engines.entries()) {
            const { value, ms } = await elapsedMsAsync(() => engine.search(question, { mode }));
            const timings = results[s]!;
            timings.samples.get(mode)![round === 0 ? 'first' : 'warm'].push(ms);
            const slowest = timings.slowest.get(mode)!;
            slowest.set(question, Math.max(ms, slowest.get(question) ?? 0));
            ids.push(value.results.slice(0, COMPARED_RESULTS).map((hit) => hit.paragraphId));
          }
          if (round === 0) ids.forEach((list, s) => sameIds(list, ids[0]!) && results[s]!.sameResults.set(mode, results[s]!.sameResults.get(mode)! + 1));
        }
        const floorMs = fullTextFloor.time(question);
        if (floorMs !== null) floor.push(floorMs);
        if (round === 0) results.forEach((timings) => timings.compared++);
      }
    }
    return { timings: results, floor };
  } finally {
    fullTextFloor?.close();
    for (const engine of engines) await engine.close();
  }
}

async function benchSize(size: number, sentences: string[], options: StoreBenchOptions, base: RetrievalConfig, temp: string): Promise<SizeResult> {
  const corpusDir = path.join(temp, `corpus-${size}`);
  const files = syntheticCorpus(sentences, size);
  writeCorpusFiles(corpusDir, files);
  log(`N=${size}: ${files.length} synthetic documents in ${corpusDir}`);
  const configFor = (indexDir: string, databaseUrl: string | null): RetrievalConfig => ({
    ...base, CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, DATABASE_URL: databaseUrl ?? undefined,
  });

  // The first build embeds every paragraph and fills the embedding cache the timed builds start from.
  const warmDir = path.join(temp, `warm-${size}`);
  const cold = options.fullTextOnly ? null : await timedBuild('embedded, cold embedding cache', configFor(warmDir, null));

  const server = await startPostgres();
  const buildProfile: StatementProfile = new Map();
  const queryProfile: StatementProfile = new Map();
  try {
    const stores: StoreUnderTest[] = [
      { name: 'embedded (SQLite + hnswlib)', config: configFor(path.join(temp, `embedded-${size}`), null) },
      { name: 'PostgreSQL + pgvector (PGlite)', config: configFor(path.join(temp, `pglite-${size}`), server.url) },
      ...(options.databaseUrl ? [{ name: 'PostgreSQL 15 + pgvector (server)', config: configFor(path.join(temp, `postgres-${size}`), options.databaseUrl) }] : []),
    ];
    const builds: { summary: BuildSummary; seconds: number }[] = [];
    for (const store of stores) {
      if (cold) copyEmbeddingCache(warmDir, store.config.INDEX_DIR);
      const unprofile = options.sqlProfile && store.config.DATABASE_URL ? profileStatements(buildProfile) : () => {};
      try {
        builds.push(await timedBuild(store.name, store.config));
      } finally {
        unprofile();
      }
    }
    const unprofile = options.sqlProfile ? profileStatements(queryProfile) : () => {};
    try {
      const { timings, floor } = await timeQueries(stores, options.questions, options.queryMinutes * 60_000);
      return {
        size, coldBuildSeconds: cold?.seconds ?? null, buildProfile, queryProfile, floor,
        stores: timings.map((timing, s) => ({ ...timing, paragraphs: builds[s]!.summary.paragraphs, buildSeconds: builds[s]!.seconds })),
      };
    } finally {
      unprofile();
    }
  } finally {
    await server.stop();
  }
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(1)}×`;
}

const ms = (x: number): string => x.toFixed(1);

function report(results: SizeResult[], options: StoreBenchOptions): string {
  const servers = options.databaseUrl
    ? 'PGlite (single-threaded WebAssembly in one process, in memory) and a PostgreSQL 15 server (--database-url)'
    : 'PGlite, single-threaded WebAssembly in one process, in memory — absolute numbers are not a real server\'s; add --database-url for one';
  const title = `### Stores side by side — embedded vs PostgreSQL + pgvector (${servers})`;
  const buildRows = results.flatMap(({ stores }) => {
    const embedded = stores[0]!;
    return stores.map((r) => [
      r.store, r.paragraphs, r.buildSeconds.toFixed(1), r.openSeconds.toFixed(1),
      r === embedded ? '–' : MODES.map((m) => `${r.sameResults.get(m)}/${r.compared}`).join(', '),
    ]);
  });
  const buildTable = markdownTable(
    ['store', 'paragraphs', 'build (s)', 'open (s)', `same top ${COMPARED_RESULTS} as embedded (${MODES.join(', ')})`], buildRows,
  );
  const latencyRows = results.flatMap(({ size, stores, floor }) => {
    const floorMean = mean(floor);
    const floorP95 = percentile(floor, 95);
    return [
      [`raw FTS5 bm25, top ${FLOOR_LIMIT} (floor)`, size, '', floor.length, ms(floorMean), ms(percentile(floor, 50)), ms(floorP95), ms(Math.max(...floor)), '', '', '–'],
      ...stores.flatMap((r) => MODES.map((mode) => {
        const { first, warm } = r.samples.get(mode)!;
        const all = [...first, ...warm];
        const versus = mode === 'lexical' ? `${ratio(mean(all), floorMean)} / ${ratio(percentile(all, 95), floorP95)}` : '';
        return [
          r.store, size, mode, all.length, ms(mean(all)), ms(percentile(all, 50)), ms(percentile(all, 95)), ms(Math.max(...all)),
          `${ms(mean(first))} / ${ms(Math.max(...first))}`, warm.length > 0 ? `${ms(percentile(warm, 50))} / ${ms(percentile(warm, 95))}` : '–', versus,
        ];
      })),
    ];
  });
  const latencyTable = markdownTable(
    ['store', 'paragraphs', 'mode', 'samples', 'mean (ms)', 'p50', 'p95', 'max', 'first round mean / max', 'later rounds p50 / p95', 'full text ÷ floor (mean / p95)'],
    latencyRows,
  );
  const notes = [
    `Corpus: synthetic, ${PARAGRAPHS_PER_DOCUMENT} paragraphs a document in numbered themes of ${PARAGRAPHS_PER_SECTION}, each ${SENTENCES_PER_PARAGRAPH.min}–${SENTENCES_PER_PARAGRAPH.max} sentences drawn (seeded) from the configured corpus.`,
    'Build: `buildIndex` with the 32-dimension test model and a warm embedding cache, so it measures parsing, segmentation, the store\'s writes, its vector index and the full-text evidence thresholds, not the model. ' +
      (options.fullTextOnly
        ? 'Full text only (--full-text-only): no model, no vector index; hybrid falls back to full text.'
        : `Cold-cache build (embedded store, every paragraph embedded by the test model): ${results.map((r) => `${r.coldBuildSeconds?.toFixed(0)} s at ${r.size}`).join(', ')}.`),
    `Latency: \`SearchEngine.search\` of ${options.questions.length} questions repeated up to ${Math.ceil(MIN_SAMPLES / options.questions.length)} rounds ` +
      `(fewer if the ${options.queryMinutes}-minute budget per size ran out: see "samples"), the stores taking turns question by question; hybrid includes embedding the question. ` +
      'Mean, p50, p95 and max are over all rounds, first questions included; "first round" is each question asked for the first time of a freshly opened engine.',
    `Floor: the raw FTS5 query (\`MATCH\` of the terms full-text search sends, \`ORDER BY bm25 LIMIT ${FLOOR_LIMIT}\`) on the embedded store's table, timed right after each question; "full text ÷ floor" compares each store's lexical search with it.`,
  ];
  const slowest = results.flatMap((r) => r.stores.flatMap((store) => MODES.map((mode) => {
    const top = [...store.slowest.get(mode)!].sort(([, a], [, b]) => b - a).slice(0, 2);
    return `Slowest at ${r.size}, ${store.store}, ${mode}: ${top.map(([q, t]) => `${q.slice(0, 40)}… ${t.toFixed(0)} ms`).join('; ')}.`;
  })));
  const profiles = options.sqlProfile
    ? results.flatMap((r) => ['', profileTable(`PostgreSQL statements at ${r.size} paragraphs: build`, r.buildProfile), '', profileTable(`PostgreSQL statements at ${r.size} paragraphs: queries (all rounds)`, r.queryProfile)])
    : [];
  return [title, '', buildTable, '', latencyTable, '', ...notes.map((n) => `- ${n}`), ...slowest.map((n) => `- ${n}`), ...profiles].join('\n');
}

export async function benchStores(options: StoreBenchOptions, config: RetrievalConfig): Promise<string> {
  const sentences = corpusSentences(config.CORPUS_DIR);
  log(`stores: ${sentences.length} distinct sentences from ${config.CORPUS_DIR} to recombine`);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stores-'));
  try {
    const modelDir = path.join(temp, 'model', 'tiny-bert');
    await writeTestModel(modelDir);
    const base: RetrievalConfig = {
      ...config, EMBEDDING_MODEL: options.fullTextOnly ? 'none/none' : modelDir, MODELS_DIR: path.join(temp, 'models'), ALLOW_REMOTE_MODELS: false,
      EMBEDDING_PROFILE: undefined, USER_DICTIONARY: undefined,
    };
    const results: SizeResult[] = [];
    for (const size of options.sizes) {
      results.push(await benchSize(size, sentences, options, base, temp));
      // The largest size takes long: what is done so far is worth keeping if it fails.
      if (size !== options.sizes.at(-1)) log(`\n${report(results, options)}\n`);
    }
    return report(results, options);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}
