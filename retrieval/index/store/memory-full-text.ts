/**
 * The full-text half of a reader, in memory: the paragraphs' stored words as
 * postings, ranked as both stores rank them (BM25 with SQLite FTS5's formula:
 * k1 1.2, b 0.75, a term's IDF floored just above 0, a paragraph's length its
 * body and context tokens; ties by id). For work that runs thousands of
 * full-text searches over one generation at build time (search/evidence-thresholds.ts),
 * without a database round trip each.
 */
import { indexTokens, termCounts } from './postgres/text-search.js';
import { splitWords, toWordMatch, type IndexReader, type IndexStatistics, type WordMatch, type WordMatchRow } from './store.js';

const K1 = 1.2;
const B = 0.75;

/** What full-text search reads of a reader: its statistics and its ranking. */
export type FullTextSource = Pick<IndexReader, 'statistics' | 'matchTerms'>;

export class MemoryFullText implements FullTextSource {
  /** Per index token, the paragraphs holding it and how often: [row, count, row, count, …] (rows are indexes into `rows`). */
  private readonly postings = new Map<string, number[]>();
  private readonly lengths: Uint32Array;
  /** Rows read as matches so far: the same paragraphs come up again and again. */
  private readonly matches = new Map<number, WordMatch>();

  constructor(
    /** Every paragraph as full-text search reads it, in id order. */
    readonly rows: readonly WordMatchRow[],
    readonly statistics: IndexStatistics,
  ) {
    this.lengths = new Uint32Array(rows.length);
    rows.forEach((row, r) => {
      const tokens = indexTokens([...splitWords(row.body_words), ...splitWords(row.context_words)]);
      this.lengths[r] = tokens.length;
      for (const [token, count] of termCounts(tokens)) {
        const list = this.postings.get(token);
        if (list) list.push(r, count);
        else this.postings.set(token, [r, count]);
      }
    });
  }

  async matchTerms(terms: string[], limit: number): Promise<WordMatch[]> {
    const { paragraphs, averageLength } = this.statistics;
    const scores = new Map<number, number>();
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const frequency = list.length / 2;
      const idf = Math.max(Math.log((paragraphs - frequency + 0.5) / (frequency + 0.5)), 1e-6);
      for (let i = 0; i < list.length; i += 2) {
        const [r, tf] = [list[i]!, list[i + 1]!];
        const norm = K1 * (1 - B + (B * this.lengths[r]!) / Math.max(averageLength, 1e-9));
        scores.set(r, (scores.get(r) ?? 0) + (idf * tf * (K1 + 1)) / (tf + norm));
      }
    }
    return [...scores]
      .sort(([ra, a], [rb, b]) => b - a || this.rows[ra]!.id - this.rows[rb]!.id)
      .slice(0, limit)
      .map(([r]) => this.match(r));
  }

  /** The row at `r` (an index into `rows`) as a match. */
  match(r: number): WordMatch {
    let match = this.matches.get(r);
    if (!match) {
      match = toWordMatch(this.rows[r]!);
      this.matches.set(r, match);
    }
    return match;
  }
}
