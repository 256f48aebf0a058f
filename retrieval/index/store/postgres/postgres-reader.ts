/**
 * Reads one published generation from PostgreSQL: the same queries as the
 * embedded store, in SQL. Full text is BM25 added up from the impacts the
 * build stored per term (FTS5's formula: k1 1.2, b 0.75, over the same
 * tokens; impact-lists.ts), so both stores rank alike; vectors come from
 * pgvector's HNSW index.
 */
import type pg from 'pg';
import pgvector from 'pgvector';
import type { Manifest } from '../../manifest.js';
import type { VectorHit } from '../../vector-index.js';
import { escapeLike, paragraphSelect, toParagraph, type StoredParagraphRow } from '../paragraph-rows.js';
import {
  GenerationGoneError, type Catalogue, type Counts, type DocumentSummary, type IndexReader, type IndexStatistics, type ParagraphFilter,
  type SpeakerCount, type StoredParagraph, type WordMatch, type WordMatchRow, toWordMatch,
} from '../store.js';
import { bestParagraphs } from './impact-lists.js';
import { countsQuery, generationSchema, hasIterativeScan } from './schema.js';

/** PostgreSQL's codes for a schema or table that does not exist: what a pruned generation's queries get. */
const GONE_CODES = new Set(['3F000', '42P01']);

/** Without iterative scans (pgvector < 0.8), a filtered query searches this many candidates before filtering. */
const FILTERED_EF_SEARCH = 1000;

export class PostgresReader implements IndexReader {
  private constructor(
    private readonly pool: pg.Pool,
    readonly generation: string,
    readonly manifest: Manifest,
    readonly catalogue: Catalogue,
    readonly statistics: IndexStatistics,
    private readonly efSearch: number,
    private readonly iterativeScan: boolean,
  ) {}

  private get schema(): string {
    return generationSchema(this.generation);
  }

  /** A query on this generation's schema; if a newer build dropped the schema, says so as GenerationGoneError. */
  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], client: pg.ClientBase | pg.Pool = this.pool): Promise<R[]> {
    try {
      return (await client.query<R>(sql, params)).rows;
    } catch (error) {
      if (GONE_CODES.has((error as { code?: string }).code ?? '')) throw new GenerationGoneError(this.generation);
      throw error;
    }
  }

  static async open(pool: pg.Pool, generation: string, manifest: Manifest, efSearch: number): Promise<PostgresReader> {
    const schema = generationSchema(generation);
    const meta = new Map(
      (await pool.query<{ key: string; value: string }>(`SELECT key, value FROM ${schema}.meta`)).rows.map((r) => [r.key, r.value]),
    );
    const counts = (await pool.query<Counts>(countsQuery(schema))).rows[0]!;
    const speakers = (
      await pool.query<SpeakerCount>(
        `SELECT s.speaker_name AS name, s.speaker_role AS role, count(p.id)::int AS paragraphs
         FROM ${schema}.sections s JOIN ${schema}.paragraphs p ON p.section_id = s.id
         WHERE s.speaker_name IS NOT NULL GROUP BY s.speaker_name, s.speaker_role ORDER BY min(s.id)`,
      )
    ).rows;
    const documents = (
      await pool.query<DocumentSummary>(
        `SELECT d.file, d.title, d.date, d.source, d.layout,
                (SELECT count(*) FROM ${schema}.sections s WHERE s.document_id = d.id)::int AS sections,
                (SELECT count(*) FROM ${schema}.paragraphs p JOIN ${schema}.sections s ON s.id = p.section_id WHERE s.document_id = d.id)::int AS paragraphs,
                coalesce((SELECT array_agg(s.title ORDER BY s.position) FROM ${schema}.sections s
                          WHERE s.document_id = d.id AND s.title IS NOT NULL), '{}') AS "sectionTitles"
         FROM ${schema}.documents d ORDER BY d.id`,
      )
    ).rows;
    const terms = (await pool.query<{ term: string; paragraphs: number; occurrences: number }>(`SELECT * FROM ${schema}.terms`)).rows;
    const frequency = new Map(terms.map((row) => [row.term, row.paragraphs]));
    const tokens = terms.reduce((sum, row) => sum + row.occurrences, 0);
    const vocabulary = meta.get('vocabulary');
    const catalogue: Catalogue = {
      counts, speakers, documents, vocabulary: vocabulary ? vocabulary.split('\n') : [], corpusHash: meta.get('corpus_hash') ?? '',
    };
    const statistics: IndexStatistics = {
      paragraphs: counts.paragraphs,
      averageLength: counts.paragraphs > 0 ? tokens / counts.paragraphs : 0,
      documentFrequency: (term) => frequency.get(term) ?? 0,
    };
    const { rows } = await pool.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
    return new PostgresReader(pool, generation, manifest, catalogue, statistics, efSearch, hasIterativeScan(rows[0]?.extversion ?? '0'));
  }

  async paragraphs(ids: number[]): Promise<StoredParagraph[]> {
    if (ids.length === 0) return [];
    const rows = await this.query<StoredParagraphRow>(`${paragraphSelect(this.schema)} WHERE p.id = ANY($1::int[])`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, toParagraph(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async paragraphByHash(hashPrefix: string): Promise<StoredParagraph | null> {
    const rows = await this.query<StoredParagraphRow>(
      `${paragraphSelect(this.schema)} WHERE p.content_hash >= $1 AND p.content_hash < $1 || 'g' ORDER BY p.id LIMIT 1`,
      [hashPrefix],
    );
    return rows[0] ? toParagraph(rows[0]) : null;
  }

  async neighbours(paragraph: StoredParagraph, radius: number): Promise<StoredParagraph[]> {
    const rows = await this.query<StoredParagraphRow>(
      `${paragraphSelect(this.schema)} WHERE p.section_id = $1 AND p.position BETWEEN $2 AND $3 ORDER BY p.position`,
      [paragraph.section.id, paragraph.position - radius, paragraph.position + radius],
    );
    return rows.map(toParagraph);
  }

  async allParagraphs(): Promise<StoredParagraph[]> {
    const rows = await this.query<StoredParagraphRow>(`${paragraphSelect(this.schema)} ORDER BY d.id, s.position, p.position`);
    return rows.map(toParagraph);
  }

  async matchTerms(terms: string[], limit: number): Promise<WordMatch[]> {
    if (terms.length === 0) return [];
    // One row per question term, in a fixed order (impact-lists.ts adds them up in it): the cost follows how common
    // the terms are, not the corpus size. Base64 is shorter on the wire than bytea's hex, and quicker to make.
    const lists = await this.query<{ list: string }>(
      `SELECT encode(list, 'base64') AS list FROM ${this.schema}.postings WHERE term = ANY($1::text[]) ORDER BY term`, [terms],
    );
    const best = bestParagraphs(lists.map((row) => Buffer.from(row.list, 'base64')), limit, this.statistics.paragraphs);
    if (best.length === 0) return [];
    const rows = await this.query<WordMatchRow>(
      `SELECT p.id, p.text, p.body_words, p.context_words, p.comparable, s.speaker_name, s.speaker_role, s.title, p.heading
       FROM ${this.schema}.paragraphs p JOIN ${this.schema}.sections s ON s.id = p.section_id WHERE p.id = ANY($1::int[])`,
      [best],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return best.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toWordMatch(row)] : [];
    });
  }

  async fullTextRows(): Promise<WordMatchRow[]> {
    return this.query<WordMatchRow>(
      `SELECT p.id, p.text, p.body_words, p.context_words, p.comparable, s.speaker_name, s.speaker_role, s.title, p.heading
       FROM ${this.schema}.paragraphs p JOIN ${this.schema}.sections s ON s.id = p.section_id ORDER BY p.id`,
    );
  }

  async filter({ speaker, source }: ParagraphFilter): Promise<number[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (speaker) {
      params.push(`%${escapeLike(speaker)}%`);
      where.push(`(s.speaker_name LIKE $${params.length} ESCAPE '\\' OR s.speaker_role LIKE $${params.length} ESCAPE '\\')`);
    }
    if (source) {
      params.push(`${escapeLike(source)}%`, `%${escapeLike(source)}%`);
      const [prefix, inner] = [params.length - 1, params.length];
      where.push(`(d.file LIKE $${prefix} ESCAPE '\\' OR d.title LIKE $${inner} ESCAPE '\\' OR s.title LIKE $${inner} ESCAPE '\\')`);
    }
    const rows = await this.query<{ id: number }>(
      `SELECT p.id FROM ${this.schema}.paragraphs p JOIN ${this.schema}.sections s ON s.id = p.section_id
       JOIN ${this.schema}.documents d ON d.id = s.document_id
       WHERE ${where.length > 0 ? where.join(' AND ') : 'TRUE'} ORDER BY p.id`,
      params,
    );
    return rows.map((row) => row.id);
  }

  /** The vectors stay in the database; nothing to load. */
  async openVectors(): Promise<void> {}

  /**
   * pgvector filters after its HNSW search, so a filtered query could come
   * back short: with pgvector ≥ 0.8 the scan goes on until enough rows pass
   * (iterative scan); before, it searches a larger candidate set.
   */
  async nearest(vector: number[], k: number, allowed: ReadonlySet<number> | null): Promise<VectorHit[]> {
    if (!this.manifest.vectors) return [];
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.trunc(allowed && !this.iterativeScan ? Math.max(this.efSearch, FILTERED_EF_SEARCH) : this.efSearch)}`);
      if (allowed && this.iterativeScan) await client.query('SET LOCAL hnsw.iterative_scan = relaxed_order');
      const filter = allowed ? 'WHERE paragraph_id = ANY($3::int[])' : '';
      // relaxed_order may return rows slightly out of order: sort the candidates again.
      const rows = await this.query<{ paragraph_id: number; distance: number }>(
        `WITH candidates AS MATERIALIZED (
           SELECT paragraph_id, embedding <=> $1 AS distance FROM ${this.schema}.vectors ${filter}
           ORDER BY embedding <=> $1 LIMIT $2)
         SELECT paragraph_id, distance FROM candidates ORDER BY distance, paragraph_id`,
        allowed ? [pgvector.toSql(vector), k, [...allowed]] : [pgvector.toSql(vector), k],
        client,
      );
      await client.query('COMMIT');
      return rows.map((row) => ({ paragraphId: row.paragraph_id, similarity: 1 - row.distance }));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** The pool belongs to the store; a reader holds nothing of its own. */
  async close(): Promise<void> {}
}
