/**
 * Full-text search over the SQLite index: FTS5 finds the paragraphs that
 * contain any of the question's terms, lexical-ranking.ts orders them; and
 * exact quotes: paragraphs containing the question verbatim.
 */
import type Database from 'better-sqlite3';
import { comparableText } from '../ingest/document.js';
import { normaliseScript, type Segmenter } from '../index/segment.js';
import { analyseQuestion } from './query-analysis.js';
import { rankCandidates, weighConcepts, type IndexStatistics, type RankedCandidate, type WeightedConcept } from './lexical-ranking.js';

/** FTS5 picks this many paragraphs by plain BM25 over all terms; lexical-ranking.ts orders them. */
const RERANK_POOL = 200;
/** Exact quotes shorter than this are ordinary words, not quotes. */
const MIN_QUOTE_LENGTH = 6;

/** Quotes a term for an FTS5 query, so no user input is read as query syntax. */
function quote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** Paragraph count, mean length and document frequencies, read once from FTS5's own vocabulary. */
export function readIndexStatistics(db: Database.Database): IndexStatistics {
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

export interface LexicalSearch {
  concepts: WeightedConcept[];
  ranked: RankedCandidate[];
}

export function lexicalSearch(
  db: Database.Database, segmenter: Segmenter, stats: IndexStatistics, question: string, limit: number,
): LexicalSearch {
  const concepts = weighConcepts(analyseQuestion(question, segmenter), stats);
  const terms = [...new Set(concepts.flatMap((c) => [...c.terms, ...c.parts]))].filter((t) => stats.documentFrequency(t) > 0);
  if (terms.length === 0) return { concepts, ranked: [] };
  const rows = db
    .prepare(
      `SELECT p.id, p.text, s.speaker_name, s.speaker_role, s.title, p.heading
       FROM paragraph_words w JOIN paragraphs p ON p.id = w.rowid JOIN sections s ON s.id = p.section_id
       WHERE paragraph_words MATCH ? ORDER BY bm25(paragraph_words) LIMIT ?`,
    )
    .all(terms.map(quote).join(' OR '), Math.max(limit, RERANK_POOL)) as {
      id: number; text: string; speaker_name: string | null; speaker_role: string | null; title: string | null; heading: string | null;
    }[];
  const candidates = rows.map((row) => ({
    paragraphId: row.id,
    body: segmenter.segment(row.text),
    context: segmenter.segment([row.speaker_name, row.speaker_role, row.title, row.heading].filter(Boolean).join(' ')),
  }));
  return { concepts, ranked: rankCandidates(concepts, candidates, stats).slice(0, limit) };
}

/** Paragraphs that contain the question verbatim (ignoring spaces and punctuation): a quote the person copied. */
export function exactQuoteMatches(db: Database.Database, question: string, limit: number): number[] {
  const quoted = comparableText(normaliseScript(question));
  if (quoted.length < MIN_QUOTE_LENGTH) return [];
  const rows = db.prepare('SELECT id FROM paragraphs WHERE instr(comparable, ?) > 0 ORDER BY id LIMIT ?').all(quoted, limit);
  return (rows as { id: number }[]).map((row) => row.id);
}

/** A small deterministic PRNG (mulberry32): the same index always gets the same threshold. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHANCE_QUESTIONS = 60;
const CHANCE_QUESTION_TERMS = 3;

/**
 * The best coverage reached by questions made of unrelated words: each one
 * word from each of a few random paragraphs. See lexical-evidence.ts.
 */
export function chanceCoverages(db: Database.Database, segmenter: Segmenter, stats: IndexStatistics, limit: number): number[] {
  const texts = (db.prepare('SELECT text FROM paragraphs ORDER BY id').all() as { text: string }[]).map((row) => row.text);
  if (texts.length < CHANCE_QUESTION_TERMS) return [];
  const random = seededRandom(texts.length);
  const coverages: number[] = [];
  for (let q = 0; q < CHANCE_QUESTIONS; q++) {
    const words = Array.from({ length: CHANCE_QUESTION_TERMS }, () => {
      const choices = segmenter.segment(texts[Math.floor(random() * texts.length)]!).filter((w) => /^\p{Script=Han}{2,}$/u.test(w));
      return choices[Math.floor(random() * choices.length)];
    }).filter((word): word is string => word !== undefined);
    if (words.length === 0) continue;
    const question = words.join(' ');
    const { ranked } = lexicalSearch(db, segmenter, stats, question, limit);
    coverages.push(ranked[0]?.coverage ?? 0);
  }
  return coverages;
}
