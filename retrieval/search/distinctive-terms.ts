/**
 * Terms that stand for a set of passages (a speaker's, a document's) against
 * the whole index: often used there and rare elsewhere, scored as occurrences ×
 * the log of paragraphs over the paragraphs holding the term (BM25's idea of
 * weight). Measured, never a word list, so it works on any corpus.
 */
import { normalise } from '../text.js';
import type { IndexReader } from '../index/store/store.js';

export interface DistinctiveTerm {
  term: string;
  /** How often the passages use it. */
  occurrences: number;
  score: number;
}

/** How specific a term is to the index: the log of paragraphs over the paragraphs holding it; 0 for a term it never saw. */
export function specificity(reader: IndexReader, term: string): number {
  const frequency = reader.statistics.documentFrequency(normalise(term));
  return frequency > 0 ? Math.log(reader.statistics.paragraphs / frequency) : 0;
}

/**
 * `occurrences` (term → how often the passages use it) ranked best first; terms every paragraph holds score 0 and are
 * left out. Ties keep the order of `occurrences` (a stable sort), so the caller decides: its most frequent term first.
 */
export function rankDistinctive(reader: IndexReader, occurrences: ReadonlyMap<string, number>): DistinctiveTerm[] {
  return [...occurrences]
    .map(([term, count]) => ({ term, occurrences: count, score: count * specificity(reader, term) }))
    .filter((candidate) => candidate.score > 0)
    .sort((a, b) => b.score - a.score);
}
