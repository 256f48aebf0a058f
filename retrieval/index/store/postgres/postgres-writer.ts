/**
 * Writes one generation into its own schema with bulk INSERTs of arrays
 * (no transaction: the schema is invisible to readers until `publish`),
 * then publishes it by moving the pointer row and notifying, in one
 * transaction, and prunes all but the newest generations.
 */
import type pg from 'pg';
import pgvector from 'pgvector';
import type { Corpus } from '../../../ingest/corpus.js';
import { cacheKeyOf } from '../../embed.js';
import type { Manifest } from '../../manifest.js';
import { corpusRows, type ParagraphRow } from '../corpus-rows.js';
import { SCHEMA_VERSION, type Counts, type GenerationWriter, type IndexReader, type VectorsToWrite } from '../store.js';
import { PostgresReader } from './postgres-reader.js';
import { countsQuery, generationIndexes, generationPostings, generationSchema, generationTables, PUBLISH_CHANNEL } from './schema.js';
import { indexTokens, termCounts } from './text-search.js';

/** Generations kept: the one in use and the one before, which replicas may still be reading. */
const KEEP_GENERATIONS = 2;
/** Rows per INSERT: large enough to be fast, small enough to keep each statement a few megabytes. */
const BATCH = 500;

export class PostgresGenerationWriter implements GenerationWriter {
  private published = false;
  private ended = false;

  private constructor(
    /** A connection of its own, holding the build lock. */
    private readonly client: pg.Client,
    private readonly generation: string,
    /** The store's pool, for a reader of the draft (the schema's rows are visible to it: no transaction). */
    private readonly pool: pg.Pool,
    private readonly efSearch: number,
  ) {}

  private get schema(): string {
    return generationSchema(this.generation);
  }

  /** Drops what crashed builds left (the caller holds the build lock, so no other build is running) and starts a new generation. */
  static async begin(client: pg.Client, pool: pg.Pool, efSearch: number): Promise<PostgresGenerationWriter> {
    const stale = await client.query<{ id: string }>("SELECT id FROM speechqa_generations WHERE state = 'building'");
    for (const { id } of stale.rows) await dropGeneration(client, String(id));
    const { rows } = await client.query<{ id: string }>("INSERT INTO speechqa_generations (state) VALUES ('building') RETURNING id");
    const writer = new PostgresGenerationWriter(client, String(rows[0]!.id), pool, efSearch);
    await client.query(generationTables(writer.schema));
    return writer;
  }

  async writeCorpus(corpus: Corpus, builtAt: string, vocabulary: readonly string[]): Promise<void> {
    const meta = { built_at: builtAt, corpus_hash: corpus.hash, vocabulary: vocabulary.join('\n'), schema_version: String(SCHEMA_VERSION) };
    await this.client.query(`INSERT INTO ${this.schema}.meta (key, value) SELECT * FROM unnest($1::text[], $2::text[])`, [
      Object.keys(meta), Object.values(meta),
    ]);
    let documentId = 0;
    let sectionId = 0;
    let paragraphId = 0;
    let pending: { sectionId: number; paragraph: ParagraphRow; tokens: string[] }[] = [];
    for (const { document, sections } of corpusRows(corpus, vocabulary)) {
      documentId += 1;
      await this.client.query(
        `INSERT INTO ${this.schema}.documents (id, file, title, date, source, layout, encoding) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [documentId, document.file, document.title, document.date, document.source, document.layout, document.encoding],
      );
      const sectionIds = sections.map(() => ++sectionId);
      await this.client.query(
        `INSERT INTO ${this.schema}.sections (id, document_id, position, title, speaker_name, speaker_role, speaker_attribution, turn, reporter)
         SELECT id, $2, position, title, name, role, attribution, turn, reporter
         FROM unnest($1::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS s(id, position, title, name, role, attribution, turn, reporter)`,
        [
          sectionIds, documentId, sections.map((s) => s.position), sections.map((s) => s.section.title),
          sections.map((s) => s.section.speaker?.name ?? null), sections.map((s) => s.section.speaker?.role ?? null),
          sections.map((s) => s.section.speaker?.attribution ?? null), sections.map((s) => s.section.turn),
          sections.map((s) => s.section.reporter),
        ],
      );
      sections.forEach(({ paragraphs }, i) => {
        for (const paragraph of paragraphs) {
          const tokens = indexTokens([...paragraph.bodyWords, ...paragraph.contextWords]);
          pending.push({ sectionId: sectionIds[i]!, paragraph, tokens });
        }
      });
      if (pending.length >= BATCH) {
        paragraphId = await this.insertParagraphs(pending, paragraphId);
        pending = [];
      }
    }
    await this.insertParagraphs(pending, paragraphId);
    await this.client.query(generationPostings(this.schema));
    await this.client.query(generationIndexes(this.schema));
    await this.client.query(`ANALYZE ${this.schema}.paragraphs; ANALYZE ${this.schema}.postings`);
  }

  /** Inserts paragraphs with ids after `lastId` (corpus order, as the embedded store numbers them); returns the last id. */
  private async insertParagraphs(rows: { sectionId: number; paragraph: ParagraphRow; tokens: string[] }[], lastId: number): Promise<number> {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      await this.client.query(
        `INSERT INTO ${this.schema}.paragraphs (id, section_id, position, heading, text, content_hash, comparable, length, body_words, context_words)
         SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[])`,
        [
          batch.map((_, i) => lastId + start + i + 1), batch.map((r) => r.sectionId), batch.map((r) => r.paragraph.position),
          batch.map((r) => r.paragraph.heading), batch.map((r) => r.paragraph.text), batch.map((r) => r.paragraph.contentHash),
          batch.map((r) => r.paragraph.comparable), batch.map((r) => r.tokens.length),
          batch.map((r) => r.paragraph.bodyWords.join(' ')), batch.map((r) => r.paragraph.contextWords.join(' ')),
        ],
      );
      const counts = batch.flatMap((r, i) =>
        [...termCounts(r.tokens)].map(([term, tf]) => ({ term, paragraphId: lastId + start + i + 1, tf, length: r.tokens.length })),
      );
      await this.client.query(
        `INSERT INTO ${this.schema}.token_counts (term, paragraph_id, tf, length) SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[])`,
        [counts.map((c) => c.term), counts.map((c) => c.paragraphId), counts.map((c) => c.tf), counts.map((c) => c.length)],
      );
    }
    return lastId + rows.length;
  }

  async paragraphHashes(): Promise<{ id: number; contentHash: string; text: string }[]> {
    const { rows } = await this.client.query<{ id: number; contentHash: string; text: string }>(
      `SELECT id, content_hash AS "contentHash", text FROM ${this.schema}.paragraphs ORDER BY id`,
    );
    return rows;
  }

  async counts(): Promise<Counts> {
    return (await this.client.query<Counts>(countsQuery(this.schema))).rows[0]!;
  }

  /** Vectors of unchanged paragraphs from the generation in use, when the same model files made them. */
  async reusableVectors(cacheKey: string, hashes: string[]): Promise<Map<string, number[]>> {
    const current = await this.client.query<{ generation: string; manifest: Manifest }>(
      'SELECT c.generation, g.manifest FROM speechqa_current c JOIN speechqa_generations g ON g.id = c.generation',
    );
    const row = current.rows[0];
    const vectors = row?.manifest.vectors;
    if (!row || !vectors || cacheKeyOf({ model: vectors.model, ...vectors.fingerprint }) !== cacheKey) return new Map();
    const schema = generationSchema(String(row.generation));
    const { rows } = await this.client.query<{ content_hash: string; embedding: string }>(
      `SELECT DISTINCT ON (p.content_hash) p.content_hash, v.embedding::text AS embedding
       FROM ${schema}.paragraphs p JOIN ${schema}.vectors v ON v.paragraph_id = p.id WHERE p.content_hash = ANY($1::text[])`,
      [hashes],
    );
    return new Map(rows.map((r) => [r.content_hash, pgvector.fromSql(r.embedding) as number[]]));
  }

  async writeVectors({ vectors, index, parameters }: VectorsToWrite): Promise<void> {
    await this.client.query(
      `CREATE TABLE ${this.schema}.vectors (paragraph_id INTEGER PRIMARY KEY REFERENCES ${this.schema}.paragraphs(id), embedding vector(${index.dimension}) NOT NULL)`,
    );
    const entries = [...vectors];
    for (let start = 0; start < entries.length; start += BATCH) {
      const batch = entries.slice(start, start + BATCH);
      await this.client.query(
        `INSERT INTO ${this.schema}.vectors (paragraph_id, embedding) SELECT * FROM unnest($1::int[], $2::vector[])`,
        [batch.map(([id]) => id), batch.map(([, vector]) => pgvector.toSql(vector))],
      );
    }
    const m = Math.trunc(parameters.m);
    const efConstruction = Math.trunc(parameters.efConstruction);
    await this.client.query(
      `CREATE INDEX ON ${this.schema}.vectors USING hnsw (embedding vector_cosine_ops) WITH (m = ${m}, ef_construction = ${efConstruction})`,
    );
  }

  async openDraft(manifest: Manifest): Promise<IndexReader> {
    return PostgresReader.open(this.pool, this.generation, manifest, this.efSearch);
  }

  async publish(manifest: Manifest): Promise<string> {
    try {
      await this.client.query('BEGIN');
      await this.client.query("UPDATE speechqa_generations SET state = 'published', published_at = now(), manifest = $2 WHERE id = $1", [
        this.generation, JSON.stringify(manifest),
      ]);
      await this.client.query(
        `INSERT INTO speechqa_current (only_row, generation) VALUES (TRUE, $1)
         ON CONFLICT (only_row) DO UPDATE SET generation = EXCLUDED.generation`,
        [this.generation],
      );
      // Delivered when the transaction commits, together with the switch.
      await this.client.query('SELECT pg_notify($1, $2)', [PUBLISH_CHANNEL, this.generation]);
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    this.published = true;
    try {
      const old = await this.client.query<{ id: string }>(
        `SELECT id FROM speechqa_generations WHERE state = 'published' ORDER BY id DESC OFFSET ${KEEP_GENERATIONS}`,
      );
      for (const { id } of old.rows) await dropGeneration(this.client, String(id));
    } finally {
      await this.discard();
    }
    return this.generation;
  }

  /** Drops the generation unless it was published; ends the connection, which releases the build lock. */
  async discard(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    try {
      if (!this.published) await dropGeneration(this.client, this.generation);
    } finally {
      await this.client.end().catch(() => {});
    }
  }
}

async function dropGeneration(client: pg.ClientBase, generation: string): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${generationSchema(generation)} CASCADE`);
  await client.query('DELETE FROM speechqa_generations WHERE id = $1', [generation]);
}
