/**
 * The layout of a build's database, which the writer creates and the reader
 * reads: its tables, the keys of its meta table, and its counts.
 */
import type Database from 'better-sqlite3';
import type { Counts } from '../store.js';

export const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE, title TEXT NOT NULL, date TEXT, source TEXT,
  layout TEXT NOT NULL, encoding TEXT NOT NULL);
CREATE TABLE sections (
  id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id), position INTEGER NOT NULL,
  title TEXT, speaker_name TEXT, speaker_role TEXT, speaker_attribution TEXT, turn TEXT, reporter TEXT);
CREATE TABLE paragraphs (
  id INTEGER PRIMARY KEY, section_id INTEGER NOT NULL REFERENCES sections(id), position INTEGER NOT NULL,
  heading TEXT, text TEXT NOT NULL, content_hash TEXT NOT NULL,
  -- the text without white space and punctuation, for exact-quote matching
  comparable TEXT NOT NULL,
  -- its words, and those of who said it and under which title (corpus-rows.ts), space-separated: ranked without
  -- segmenting anything at question time, and the content of paragraph_words
  body_words TEXT NOT NULL, context_words TEXT NOT NULL);
CREATE INDEX paragraphs_by_section ON paragraphs(section_id, position);
CREATE INDEX paragraphs_by_hash ON paragraphs(content_hash);
CREATE INDEX sections_by_speaker ON sections(speaker_name);
-- Full text over those words (FTS5 keeps only its index; the words stay in paragraphs).
CREATE VIRTUAL TABLE paragraph_words USING fts5(
  body_words, context_words, content='paragraphs', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
`;

/** Meta keys of a build's database. */
export const metaKeys = { vocabulary: 'vocabulary', corpusHash: 'corpus_hash', builtAt: 'built_at', schemaVersion: 'schema_version' } as const;

/** How many documents, sections, paragraphs and named speakers the database holds. */
export function countRows(db: Database.Database): Counts {
  return db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM documents) AS documents, (SELECT COUNT(*) FROM sections) AS sections,
              (SELECT COUNT(*) FROM paragraphs) AS paragraphs,
              (SELECT COUNT(DISTINCT speaker_name) FROM sections WHERE speaker_name IS NOT NULL) AS speakers`,
    )
    .get() as Counts;
}
