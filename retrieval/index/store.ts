/**
 * Storage, step two of the pipeline: the parsed corpus in SQLite — documents,
 * sections, paragraphs, and an FTS5 table of segmented words for BM25.
 * `writeStore` fills a new database file; `Store` reads one.
 */
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import type { Corpus } from '../ingest/corpus.js';
import { comparableText, type Speaker } from '../ingest/document.js';
import { retrievalError } from '../errors.js';
import { Segmenter } from './segment.js';

export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE, title TEXT NOT NULL, date TEXT, source TEXT,
  layout TEXT NOT NULL, encoding TEXT NOT NULL);
CREATE TABLE sections (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id), position INTEGER NOT NULL,
  title TEXT, speaker_name TEXT, speaker_role TEXT, speaker_inferred INTEGER NOT NULL DEFAULT 0, reporter TEXT);
CREATE TABLE paragraphs (
  id INTEGER PRIMARY KEY, section_id INTEGER NOT NULL REFERENCES sections(id), position INTEGER NOT NULL,
  heading TEXT, text TEXT NOT NULL, content_hash TEXT NOT NULL,
  -- the text without white space and punctuation, for exact-quote matching
  comparable TEXT NOT NULL);
CREATE INDEX paragraphs_by_section ON paragraphs(section_id, position);
CREATE INDEX paragraphs_by_hash ON paragraphs(content_hash);
CREATE INDEX sections_by_speaker ON sections(speaker_name);
-- Words of the paragraph, and of who said it and under which title, segmented by segment.ts.
CREATE VIRTUAL TABLE paragraph_words USING fts5(body, context, content='', tokenize='unicode61 remove_diacritics 2');
`;

export function contentHash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Meta key of the terms the index was segmented with (one per line): queries must be segmented with the same. */
export const VOCABULARY_KEY = 'vocabulary';

/** Writes the corpus into a new database file at `file` (which must not exist yet), segmented with `vocabulary`. */
export function writeStore(file: string, corpus: Corpus, meta: Record<string, string>, vocabulary: readonly string[]): void {
  const segmenter = Segmenter.for(vocabulary);
  const segment = (text: string): string[] => segmenter.segment(text);
  meta = { ...meta, [VOCABULARY_KEY]: vocabulary.join('\n') };
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
    db.exec(SCHEMA);
    const insertMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    const insertDocument = db.prepare(
      'INSERT INTO documents (file, title, date, source, layout, encoding) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertSection = db.prepare(
      `INSERT INTO sections (document_id, position, title, speaker_name, speaker_role, speaker_inferred, reporter)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertParagraph = db.prepare(
      'INSERT INTO paragraphs (section_id, position, heading, text, content_hash, comparable) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertWords = db.prepare('INSERT INTO paragraph_words (rowid, body, context) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const [key, value] of Object.entries({ ...meta, schema_version: String(SCHEMA_VERSION) })) {
        insertMeta.run(key, value);
      }
      for (const document of corpus.documents) {
        const documentId = insertDocument.run(
          document.file, document.title, document.date, document.source, document.layout, document.encoding,
        ).lastInsertRowid;
        document.sections.forEach((section, sectionIndex) => {
          const sectionId = insertSection.run(
            documentId, sectionIndex + 1, section.title, section.speaker?.name ?? null, section.speaker?.role ?? null,
            section.speaker?.inferred ? 1 : 0, section.reporter,
          ).lastInsertRowid;
          const context = [section.speaker?.name, section.speaker?.role, section.title];
          section.paragraphs.forEach((paragraph, paragraphIndex) => {
            const paragraphId = insertParagraph.run(
              sectionId, paragraphIndex + 1, paragraph.heading, paragraph.text, contentHash(paragraph.text),
              comparableText(paragraph.text),
            ).lastInsertRowid;
            const contextWords = segment([...context, paragraph.heading].filter(Boolean).join(' ')).join(' ');
            insertWords.run(paragraphId, segment(paragraph.text).join(' '), contextWords);
          });
        });
      }
    })();
  } finally {
    db.close();
  }
}

export interface StoredParagraph {
  paragraphId: number;
  text: string;
  heading: string | null;
  contentHash: string;
  position: number;
  speaker: Speaker | null;
  reporter: string | null;
  section: { id: number; index: number; title: string | null };
  document: { file: string; title: string; date: string | null; source: string | null };
}

interface ParagraphRow {
  id: number; text: string; heading: string | null; content_hash: string; position: number;
  section_id: number; section_position: number; section_title: string | null;
  speaker_name: string | null; speaker_role: string | null; speaker_inferred: number; reporter: string | null;
  file: string; document_title: string; date: string | null; source: string | null;
}

const PARAGRAPH_SELECT = `
SELECT p.id, p.text, p.heading, p.content_hash, p.position, s.id AS section_id, s.position AS section_position,
       s.title AS section_title, s.speaker_name, s.speaker_role, s.speaker_inferred, s.reporter,
       d.file, d.title AS document_title, d.date, d.source
FROM paragraphs p JOIN sections s ON s.id = p.section_id JOIN documents d ON d.id = s.document_id`;

function toParagraph(row: ParagraphRow): StoredParagraph {
  return {
    paragraphId: row.id,
    text: row.text,
    heading: row.heading,
    contentHash: row.content_hash,
    position: row.position,
    speaker: row.speaker_name
      ? { name: row.speaker_name, role: row.speaker_role, inferred: row.speaker_inferred === 1 }
      : null,
    reporter: row.reporter,
    section: { id: row.section_id, index: row.section_position, title: row.section_title },
    document: { file: row.file, title: row.document_title, date: row.date, source: row.source },
  };
}

export interface SpeakerCount { name: string; role: string | null; paragraphs: number }
export interface DocumentSummary {
  file: string; title: string; date: string | null; source: string | null; layout: string;
  sections: number; paragraphs: number; sectionTitles: string[];
}

/** Read access to a built database. */
export class Store {
  readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    const version = this.meta('schema_version');
    if (version !== String(SCHEMA_VERSION)) {
      this.db.close();
      throw retrievalError('INDEX_SCHEMA_MISMATCH', version ?? 'unknown', SCHEMA_VERSION);
    }
  }

  meta(key: string): string | null {
    try {
      const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
      return row?.value ?? null;
    } catch {
      return null; // not a database of ours at all
    }
  }

  paragraphs(ids: number[]): StoredParagraph[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(`${PARAGRAPH_SELECT} WHERE p.id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as ParagraphRow[];
    const byId = new Map(rows.map((row) => [row.id, toParagraph(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  paragraphByHash(hashPrefix: string): StoredParagraph | null {
    const row = this.db
      .prepare(`${PARAGRAPH_SELECT} WHERE p.content_hash >= ? AND p.content_hash < ? ORDER BY p.id LIMIT 1`)
      .get(hashPrefix, `${hashPrefix}g`) as ParagraphRow | undefined;
    return row ? toParagraph(row) : null;
  }

  /** The paragraphs of a section from `position - radius` to `position + radius`. */
  neighbours(paragraph: StoredParagraph, radius: number): StoredParagraph[] {
    const rows = this.db
      .prepare(`${PARAGRAPH_SELECT} WHERE p.section_id = ? AND p.position BETWEEN ? AND ? ORDER BY p.position`)
      .all(paragraph.section.id, paragraph.position - radius, paragraph.position + radius) as ParagraphRow[];
    return rows.map(toParagraph);
  }

  /** Every paragraph, in corpus order (for `inspect`). */
  allParagraphs(): StoredParagraph[] {
    return (this.db.prepare(`${PARAGRAPH_SELECT} ORDER BY d.id, s.position, p.position`).all() as ParagraphRow[]).map(
      toParagraph,
    );
  }

  /** Every paragraph id and content hash, for building the vector index. */
  paragraphHashes(): { id: number; contentHash: string; text: string }[] {
    return this.db.prepare('SELECT id, content_hash AS contentHash, text FROM paragraphs ORDER BY id').all() as {
      id: number; contentHash: string; text: string;
    }[];
  }

  speakers(): SpeakerCount[] {
    return this.db
      .prepare(
        `SELECT s.speaker_name AS name, s.speaker_role AS role, COUNT(p.id) AS paragraphs
         FROM sections s JOIN paragraphs p ON p.section_id = s.id
         WHERE s.speaker_name IS NOT NULL GROUP BY s.speaker_name, s.speaker_role ORDER BY MIN(s.id)`,
      )
      .all() as SpeakerCount[];
  }

  documents(): DocumentSummary[] {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.file, d.title, d.date, d.source, d.layout,
                (SELECT COUNT(*) FROM sections s WHERE s.document_id = d.id) AS sections,
                (SELECT COUNT(*) FROM paragraphs p JOIN sections s ON s.id = p.section_id WHERE s.document_id = d.id) AS paragraphs
         FROM documents d ORDER BY d.id`,
      )
      .all() as (Omit<DocumentSummary, 'sectionTitles'> & { id: number })[];
    const titles = this.db.prepare('SELECT title FROM sections WHERE document_id = ? AND title IS NOT NULL ORDER BY position');
    return rows.map(({ id, ...row }) => ({
      ...row,
      sectionTitles: (titles.all(id) as { title: string }[]).map((t) => t.title),
    }));
  }

  counts(): { documents: number; sections: number; paragraphs: number; speakers: number } {
    return this.db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM documents) AS documents, (SELECT COUNT(*) FROM sections) AS sections,
                (SELECT COUNT(*) FROM paragraphs) AS paragraphs,
                (SELECT COUNT(DISTINCT speaker_name) FROM sections WHERE speaker_name IS NOT NULL) AS speakers`,
      )
      .get() as { documents: number; sections: number; paragraphs: number; speakers: number };
  }

  /** The segmenter the index was built with. */
  segmenter(): Segmenter {
    const vocabulary = this.meta(VOCABULARY_KEY);
    return Segmenter.for(vocabulary ? vocabulary.split('\n') : []);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
