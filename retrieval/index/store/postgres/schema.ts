/**
 * The PostgreSQL layout. Shared tables (versioned migrations, generations,
 * the pointer to the one in use) live in the connection's schema; each
 * generation has a schema of its own, so its HNSW and full-text indexes
 * cover only its rows, and pruning it is one DROP SCHEMA.
 */
import type pg from 'pg';
import { retrievalError } from '../../../errors.js';
import { IMPACT_LIST_AGGREGATE } from './impact-lists.js';

/** pgvector added HNSW indexes in 0.5.0. */
const PGVECTOR_MINIMUM = [0, 5, 0];

/**
 * Readers' feedback on the bot's answers (bot/feedback/), kept beside the index: votes on answers and flags on
 * quotes, keyed by pseudonyms (salted hashes) and paragraph content hashes, and the salt shared by all replicas.
 * Plain types and ISO-8601 text times, so that the embedded store's SQLite file runs the same statements.
 */
export const FEEDBACK_TABLES = `
CREATE TABLE IF NOT EXISTS speechqa_feedback_salt (id INTEGER PRIMARY KEY CHECK (id = 1), salt TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS speechqa_feedback_votes (
  answer_key TEXT NOT NULL, user_hash TEXT NOT NULL, chat_type TEXT NOT NULL,
  question TEXT, shown TEXT NOT NULL, vote INTEGER NOT NULL CHECK (vote IN (-1, 1)), previous_vote INTEGER,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (answer_key, user_hash));
CREATE TABLE IF NOT EXISTS speechqa_feedback_flags (
  content_hash TEXT NOT NULL, user_hash TEXT NOT NULL, chat_type TEXT NOT NULL,
  speaker_shown TEXT, attribution_shown TEXT, suggested_name TEXT, prompt_key TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (content_hash, user_hash));
CREATE INDEX IF NOT EXISTS speechqa_feedback_flags_prompt ON speechqa_feedback_flags (prompt_key);`;

/**
 * The bot's inbox (bot/inbox/postgres-inbox.ts): every update stored before Telegram is told it arrived, keyed by
 * Telegram's update_id, claimed by one replica at a time under a lease (owner, lease_until) that the replica renews
 * while it works, so that the updates of a replica that died go to another once the lease runs out.
 */
const INBOX_TABLE = `
CREATE TABLE speechqa_inbox (
  update_id BIGINT PRIMARY KEY,
  body JSONB NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  attempts INTEGER NOT NULL DEFAULT 0,
  owner TEXT,
  lease_until TIMESTAMPTZ,
  done_at TIMESTAMPTZ);
CREATE INDEX speechqa_inbox_pending ON speechqa_inbox (update_id) WHERE done_at IS NULL;
CREATE INDEX speechqa_inbox_done ON speechqa_inbox (done_at) WHERE done_at IS NOT NULL;`;

/** Applied in order, each once; the number of the last one applied is kept in speechqa_migrations. */
const MIGRATIONS: string[] = [
  `CREATE TABLE speechqa_generations (
     id BIGSERIAL PRIMARY KEY,
     state TEXT NOT NULL CHECK (state IN ('building', 'published')),
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
     published_at TIMESTAMPTZ,
     manifest JSONB);
   CREATE TABLE speechqa_current (
     only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
     generation BIGINT NOT NULL REFERENCES speechqa_generations(id));`,
  FEEDBACK_TABLES,
  INBOX_TABLE,
];

/** Channel on which a publishing build notifies replicas. */
export const PUBLISH_CHANNEL = 'speechqa_generation';

/** Lock ids (pg_advisory_lock) for migrating and for building: one of each at a time. */
export const locks = { migrate: 7_130_001, build: 7_130_002 } as const;

export function generationSchema(generation: string): string {
  if (!/^\d+$/.test(generation)) throw new Error(`not a generation number: ${generation}`);
  return `speechqa_g${generation}`;
}

/** The tables of one generation; the vector table is added by writeVectors once the dimension is known. */
export function generationTables(schema: string): string {
  return `
CREATE SCHEMA ${schema};
CREATE TABLE ${schema}.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE ${schema}.documents (
  id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE, title TEXT NOT NULL, date TEXT, source TEXT,
  layout TEXT NOT NULL, encoding TEXT NOT NULL);
CREATE TABLE ${schema}.sections (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES ${schema}.documents(id), position INTEGER NOT NULL,
  title TEXT, speaker_name TEXT, speaker_role TEXT, speaker_attribution TEXT, turn TEXT, reporter TEXT);
CREATE TABLE ${schema}.paragraphs (
  id INTEGER PRIMARY KEY, section_id INTEGER NOT NULL REFERENCES ${schema}.sections(id), position INTEGER NOT NULL,
  heading TEXT, text TEXT NOT NULL, content_hash TEXT COLLATE "C" NOT NULL,
  -- the text without white space and punctuation, for exact-quote matching
  comparable TEXT NOT NULL,
  -- how many index tokens the paragraph and its context have (text-search.ts), for BM25
  length INTEGER NOT NULL,
  -- its words, and those of who said it and under which title (corpus-rows.ts), space-separated: ranked without
  -- segmenting anything at question time
  body_words TEXT NOT NULL, context_words TEXT NOT NULL);
-- Each token of a paragraph with its count and the paragraph's length, as the build writes them: they become the
-- postings (generationPostings) once every paragraph is in, and the table is dropped.
CREATE TABLE ${schema}.token_counts (term TEXT COLLATE "C" NOT NULL, paragraph_id INTEGER NOT NULL, tf INTEGER NOT NULL, length INTEGER NOT NULL);
CREATE TABLE ${schema}.terms (term TEXT COLLATE "C" PRIMARY KEY, paragraphs INTEGER NOT NULL, occurrences INTEGER NOT NULL);`;
}

/**
 * A posting's BM25 contribution, SQLite FTS5's formula (k1 1.2, b 0.75, the IDF floored just above 0) over columns
 * `tf`, `length` (the paragraph's tokens), `df` (the term's paragraphs), `paragraphs` and `average_length` (float8).
 * Every part is known once the corpus is written, so the build stores it and a question only adds them up.
 */
const IMPACT = `greatest(ln((paragraphs - df + 0.5) / (df + 0.5)), 1e-6) * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / average_length))`;

/**
 * The inverted index, made from token_counts once every paragraph is written: the terms with their paragraph and
 * token counts, then the postings — per term, the list of its paragraphs with their impacts (impact-lists.ts) — so
 * that a question reads one row per term of its own, however large the corpus. The lists are stored uncompressed:
 * impacts do not compress, and reading them back stays a copy.
 */
export function generationPostings(schema: string): string {
  return `
INSERT INTO ${schema}.terms (term, paragraphs, occurrences) SELECT term, count(*), sum(tf) FROM ${schema}.token_counts GROUP BY term;
CREATE TABLE ${schema}.postings (term TEXT COLLATE "C" PRIMARY KEY, list BYTEA NOT NULL);
ALTER TABLE ${schema}.postings ALTER COLUMN list SET STORAGE EXTERNAL;
INSERT INTO ${schema}.postings (term, list)
  WITH corpus AS (
    SELECT count(*)::float8 AS paragraphs, greatest((SELECT sum(occurrences) FROM ${schema}.terms)::float8 / nullif(count(*), 0), 1e-9) AS average_length
    FROM ${schema}.paragraphs),
  impacts AS (
    SELECT term, c.paragraph_id, ${IMPACT} AS impact
    FROM ${schema}.token_counts c JOIN (SELECT term, paragraphs AS df FROM ${schema}.terms) t USING (term) CROSS JOIN corpus)
  SELECT term, ${IMPACT_LIST_AGGREGATE} FROM impacts GROUP BY term;
DROP TABLE ${schema}.token_counts;`;
}

/** Indexes made after the bulk load, which is faster than keeping them up to date row by row. */
export function generationIndexes(schema: string): string {
  return `
CREATE INDEX ON ${schema}.paragraphs (section_id, position);
CREATE INDEX ON ${schema}.paragraphs (content_hash);
CREATE INDEX ON ${schema}.sections (speaker_name);`;
}

/** Documents, sections, paragraphs and named speakers of a generation. */
export function countsQuery(schema: string): string {
  return `SELECT (SELECT count(*) FROM ${schema}.documents)::int AS documents, (SELECT count(*) FROM ${schema}.sections)::int AS sections,
                 (SELECT count(*) FROM ${schema}.paragraphs)::int AS paragraphs,
                 (SELECT count(DISTINCT speaker_name) FROM ${schema}.sections WHERE speaker_name IS NOT NULL)::int AS speakers`;
}

function atLeast(version: string, minimum: number[]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < minimum.length; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i]!;
  }
  return true;
}

/** Creates the vector extension if needed and applies missing migrations, under a lock so replicas starting together do not race. */
export async function migrate(client: pg.ClientBase): Promise<void> {
  const applied = await client
    .query<{ version: number }>('SELECT max(version) AS version FROM speechqa_migrations')
    .then((result) => result.rows[0]?.version ?? 0, () => 0);
  const vector = await client.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
  if (applied >= MIGRATIONS.length && vector.rows.length > 0) return checkVectorVersion(vector.rows[0]!.extversion);

  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${locks.migrate})`);
    try {
      await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    } catch (error) {
      throw retrievalError('DATABASE_NO_PGVECTOR', (error as Error).message);
    }
    await client.query('CREATE TABLE IF NOT EXISTS speechqa_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM speechqa_migrations');
    for (let version = (rows[0]?.version ?? 0) + 1; version <= MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO speechqa_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  const { rows } = await client.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
  checkVectorVersion(rows[0]?.extversion ?? '0');
}

function checkVectorVersion(version: string): void {
  if (!atLeast(version, PGVECTOR_MINIMUM)) throw retrievalError('DATABASE_NO_PGVECTOR', `the server has pgvector ${version}`);
}

/** Whether pgvector can keep scanning the HNSW graph until enough rows pass a filter (0.8.0 and later). */
export function hasIterativeScan(version: string): boolean {
  return atLeast(version, [0, 8, 0]);
}
