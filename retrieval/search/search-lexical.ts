/**
 * Full-text search: BM25 over segmented words (SQLite FTS5), and exact
 * quotes: paragraphs containing the question verbatim.
 */
import type Database from 'better-sqlite3';
import { comparableText } from '../ingest/document.js';
import { queryTerms, segment } from '../index/segment.js';

export interface LexicalHit {
  paragraphId: number;
  /** BM25 relevance, larger is better (FTS5's bm25() is negated). */
  score: number;
}

/** Quotes a term for an FTS5 query, so no user input is read as query syntax. */
function quote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** Body words count more than who said it and the section title. */
const COLUMN_WEIGHTS = [1.0, 0.5];
/** Exact quotes shorter than this are ordinary words, not quotes. */
const MIN_QUOTE_LENGTH = 6;

export function lexicalSearch(db: Database.Database, question: string, limit: number): LexicalHit[] {
  const terms = queryTerms(question);
  if (terms.length === 0) return [];
  return db
    .prepare(
      `SELECT rowid AS paragraphId, -bm25(paragraph_words, ${COLUMN_WEIGHTS.join(', ')}) AS score
       FROM paragraph_words WHERE paragraph_words MATCH ? ORDER BY score DESC LIMIT ?`,
    )
    .all(terms.map(quote).join(' OR '), limit) as LexicalHit[];
}

/** Paragraphs that contain the question verbatim (ignoring spaces and punctuation): a quote the person copied. */
export function exactQuoteMatches(db: Database.Database, question: string, limit: number): number[] {
  const quoted = comparableText(question.normalize('NFKC'));
  if (quoted.length < MIN_QUOTE_LENGTH) return [];
  const rows = db.prepare('SELECT id FROM paragraphs WHERE instr(comparable, ?) > 0 ORDER BY id LIMIT ?').all(quoted, limit);
  return (rows as { id: number }[]).map((row) => row.id);
}

/**
 * Share of the question's meaning a paragraph covers: the IDF-weighted
 * fraction of query terms found in its words. Terms absent from the whole
 * corpus still weigh in, so a question about something the corpus never
 * mentions scores low everywhere.
 */
export function termCoverage(db: Database.Database, question: string, paragraphIds: number[]): Map<number, number> {
  const terms = queryTerms(question);
  const result = new Map<number, number>();
  if (terms.length === 0 || paragraphIds.length === 0) return result;
  const total = (db.prepare('SELECT COUNT(*) AS n FROM paragraphs').get() as { n: number }).n;
  const frequency = db.prepare('SELECT COUNT(*) AS n FROM paragraph_words WHERE paragraph_words MATCH ?');
  const weights = terms.map((term) => {
    const df = (frequency.get(quote(term)) as { n: number }).n;
    return Math.log((total - df + 0.5) / (df + 0.5) + 1);
  });
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const rows = db
    .prepare(
      `SELECT p.id, p.text, s.speaker_name, s.speaker_role, s.title, p.heading
       FROM paragraphs p JOIN sections s ON s.id = p.section_id WHERE p.id IN (${paragraphIds.map(() => '?').join(',')})`,
    )
    .all(...paragraphIds) as { id: number; text: string; speaker_name: string | null; speaker_role: string | null; title: string | null; heading: string | null }[];
  for (const row of rows) {
    const words = new Set(segment([row.text, row.speaker_name, row.speaker_role, row.title, row.heading].filter(Boolean).join(' ')));
    const covered = terms.reduce((sum, term, i) => sum + (words.has(term) ? weights[i]! : 0), 0);
    result.set(row.id, totalWeight > 0 ? covered / totalWeight : 0);
  }
  return result;
}
