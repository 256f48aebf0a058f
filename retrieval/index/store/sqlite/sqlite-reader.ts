/** Reads one build folder of the embedded store: corpus.sqlite, and vectors.hnsw when the build has vectors. */
import path from 'node:path';
import Database from 'better-sqlite3';
import { retrievalError } from '../../../errors.js';
import type { Manifest } from '../../manifest.js';
import { VectorIndex, type VectorHit } from '../../vector-index.js';
import {
  SCHEMA_VERSION, type Catalogue, type DocumentSummary, type IndexReader, type IndexStatistics,
  type ParagraphFilter, type SpeakerCount, type StoredParagraph, type WordMatch, type WordMatchRow, toWordMatch,
} from '../store.js';
import { escapeLike, paragraphSelect, toParagraph, type StoredParagraphRow } from '../paragraph-rows.js';
import { files } from './build-folders.js';
import { countRows, metaKeys } from './sqlite-schema.js';

const PARAGRAPH_SELECT = paragraphSelect();

/** Any of `terms`, each quoted, so that no user input is read as FTS5 query syntax. */
export function fullTextQuery(terms: string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
}

function readMeta(db: Database.Database, key: string): string | null {
  try {
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  } catch {
    return null; // not a database of ours at all
  }
}

/** The statements every question runs, prepared once per reader rather than compiled again for each question. */
function questionStatements(db: Database.Database) {
  return {
    // FTS5 ranks on its own first; only the `limit` best are joined with their rows.
    matchTerms: db.prepare(
      `WITH best AS (
         SELECT rowid AS id, bm25(paragraph_words) AS score FROM paragraph_words WHERE paragraph_words MATCH ? ORDER BY score, rowid LIMIT ?)
       SELECT p.id, p.text, p.body_words, p.context_words, p.comparable, s.speaker_name, s.speaker_role, s.title, p.heading
       FROM best JOIN paragraphs p ON p.id = best.id JOIN sections s ON s.id = p.section_id ORDER BY best.score, p.id`,
    ),
    // The ids as one JSON array: one statement whatever their number.
    paragraphs: db.prepare(`${PARAGRAPH_SELECT} WHERE p.id IN (SELECT value FROM json_each(?))`),
  };
}

export class SqliteReader implements IndexReader {
  private vectors: VectorIndex | null = null;
  private readonly statements: ReturnType<typeof questionStatements>;

  private constructor(
    readonly generation: string,
    readonly manifest: Manifest,
    private readonly db: Database.Database,
    private readonly efSearch: number,
    readonly catalogue: Catalogue,
    readonly statistics: IndexStatistics,
  ) {
    this.statements = questionStatements(db);
  }

  /** Opens a build folder; throws when its database is of another schema version or another build than its manifest. */
  static open(folder: string, manifest: Manifest, efSearch: number): SqliteReader {
    const db = new Database(path.join(folder, files.database), { readonly: true, fileMustExist: true });
    try {
      const version = readMeta(db, metaKeys.schemaVersion);
      if (version !== String(SCHEMA_VERSION)) throw retrievalError('INDEX_SCHEMA_MISMATCH', version ?? 'unknown', SCHEMA_VERSION);
      const corpusHash = readMeta(db, metaKeys.corpusHash) ?? '';
      if (corpusHash !== manifest.corpusHash) {
        throw retrievalError('INDEX_MANIFEST_MISMATCH', 'the database and manifest come from different builds');
      }
      const vocabulary = readMeta(db, metaKeys.vocabulary);
      const catalogue: Catalogue = {
        counts: countRows(db),
        speakers: speakers(db),
        documents: documents(db),
        vocabulary: vocabulary ? vocabulary.split('\n') : [],
        corpusHash,
      };
      return new SqliteReader(folder, manifest, db, efSearch, catalogue, readStatistics(db));
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async paragraphs(ids: number[]): Promise<StoredParagraph[]> {
    if (ids.length === 0) return [];
    const rows = this.statements.paragraphs.all(JSON.stringify(ids)) as StoredParagraphRow[];
    const byId = new Map(rows.map((row) => [row.id, toParagraph(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async paragraphByHash(hashPrefix: string): Promise<StoredParagraph | null> {
    const row = this.db
      .prepare(`${PARAGRAPH_SELECT} WHERE p.content_hash >= ? AND p.content_hash < ? ORDER BY p.id LIMIT 1`)
      .get(hashPrefix, `${hashPrefix}g`) as StoredParagraphRow | undefined;
    return row ? toParagraph(row) : null;
  }

  async neighbours(paragraph: StoredParagraph, radius: number): Promise<StoredParagraph[]> {
    const rows = this.db
      .prepare(`${PARAGRAPH_SELECT} WHERE p.section_id = ? AND p.position BETWEEN ? AND ? ORDER BY p.position`)
      .all(paragraph.section.id, paragraph.position - radius, paragraph.position + radius) as StoredParagraphRow[];
    return rows.map(toParagraph);
  }

  async allParagraphs(): Promise<StoredParagraph[]> {
    return (this.db.prepare(`${PARAGRAPH_SELECT} ORDER BY d.id, s.position, p.position`).all() as StoredParagraphRow[]).map(toParagraph);
  }

  async matchTerms(terms: string[], limit: number): Promise<WordMatch[]> {
    if (terms.length === 0) return [];
    const rows = this.statements.matchTerms.all(fullTextQuery(terms), limit) as WordMatchRow[];
    return rows.map(toWordMatch);
  }

  async fullTextRows(): Promise<WordMatchRow[]> {
    return this.db
      .prepare(
        `SELECT p.id, p.text, p.body_words, p.context_words, p.comparable, s.speaker_name, s.speaker_role, s.title, p.heading
         FROM paragraphs p JOIN sections s ON s.id = p.section_id ORDER BY p.id`,
      )
      .all() as WordMatchRow[];
  }

  async filter({ speaker, source }: ParagraphFilter): Promise<number[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (speaker) {
      const pattern = `%${escapeLike(speaker)}%`;
      where.push(`(s.speaker_name LIKE ? ESCAPE '\\' OR s.speaker_role LIKE ? ESCAPE '\\')`);
      params.push(pattern, pattern);
    }
    if (source) {
      const escaped = escapeLike(source);
      where.push(`(d.file LIKE ? ESCAPE '\\' OR d.title LIKE ? ESCAPE '\\' OR s.title LIKE ? ESCAPE '\\')`);
      params.push(`${escaped}%`, `%${escaped}%`, `%${escaped}%`);
    }
    const rows = this.db
      .prepare(
        `SELECT p.id FROM paragraphs p JOIN sections s ON s.id = p.section_id JOIN documents d ON d.id = s.document_id
         WHERE ${where.length > 0 ? where.join(' AND ') : '1'} ORDER BY p.id`,
      )
      .all(...params) as { id: number }[];
    return rows.map((row) => row.id);
  }

  /** Read now, not at open: a bot whose model is missing never needs the graph in memory; and later the build folder may be pruned. */
  async openVectors(): Promise<void> {
    const vectors = this.manifest.vectors;
    if (!vectors || this.vectors) return;
    this.vectors = VectorIndex.read(path.join(this.generation, files.vectors), vectors.dimension, vectors.count, this.efSearch);
  }

  async nearest(vector: number[], k: number, allowed: ReadonlySet<number> | null): Promise<VectorHit[]> {
    return this.vectors?.search(vector, k, allowed) ?? [];
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function speakers(db: Database.Database): SpeakerCount[] {
  return db
    .prepare(
      `SELECT s.speaker_name AS name, s.speaker_role AS role, COUNT(p.id) AS paragraphs
       FROM sections s JOIN paragraphs p ON p.section_id = s.id
       WHERE s.speaker_name IS NOT NULL GROUP BY s.speaker_name, s.speaker_role ORDER BY MIN(s.id)`,
    )
    .all() as SpeakerCount[];
}

function documents(db: Database.Database): DocumentSummary[] {
  const rows = db
    .prepare(
      `SELECT d.id, d.file, d.title, d.date, d.source, d.layout,
              (SELECT COUNT(*) FROM sections s WHERE s.document_id = d.id) AS sections,
              (SELECT COUNT(*) FROM paragraphs p JOIN sections s ON s.id = p.section_id WHERE s.document_id = d.id) AS paragraphs
       FROM documents d ORDER BY d.id`,
    )
    .all() as (Omit<DocumentSummary, 'sectionTitles'> & { id: number })[];
  const titles = db.prepare('SELECT title FROM sections WHERE document_id = ? AND title IS NOT NULL ORDER BY position');
  return rows.map(({ id, ...row }) => ({
    ...row,
    sectionTitles: (titles.all(id) as { title: string }[]).map((t) => t.title),
  }));
}

/** Paragraph count, mean length and document frequencies, read once from FTS5's own vocabulary. */
function readStatistics(db: Database.Database): IndexStatistics {
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.paragraph_vocabulary USING fts5vocab(main, paragraph_words, row)');
  const rows = db.prepare('SELECT term, doc, cnt FROM temp.paragraph_vocabulary').all() as { term: string; doc: number; cnt: number }[];
  const paragraphs = (db.prepare('SELECT COUNT(*) AS n FROM paragraphs').get() as { n: number }).n;
  const frequency = new Map(rows.map((row) => [row.term, row.doc]));
  const words = rows.reduce((sum, row) => sum + row.cnt, 0);
  return {
    paragraphs,
    averageLength: paragraphs > 0 ? words / paragraphs : 0,
    documentFrequency: (term) => frequency.get(term) ?? 0,
  };
}
