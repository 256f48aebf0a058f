/**
 * Does full text answer the question, partly answer it, or not at all? The
 * rule is one number, the coverage a passage needs, and it comes from the
 * index: the coverage that questions made of unrelated words (terms drawn
 * from different random paragraphs) nearly all reach by chance (the lowest decile).
 * A real question whose best passage covers no more than that is not
 * answered by the corpus.
 */
import type { RankedCandidate, WeightedConcept } from './lexical-ranking.js';

export type LexicalEvidence =
  | { kind: 'direct' }
  /** The passages say something about the question, but `missing` (core concepts) appear nowhere in the corpus; `found` did. */
  | { kind: 'partial'; missing: string[]; found: string[] }
  | { kind: 'none' };

/** Share of chance questions whose best coverage stays below the threshold: the lowest decile, so that a decline means nothing meaningful matched. */
const CHANCE_QUANTILE = 0.1;

export function chanceCoverageThreshold(chanceCoverages: number[]): number {
  if (chanceCoverages.length === 0) return 0.5;
  const sorted = [...chanceCoverages].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(CHANCE_QUANTILE * sorted.length))]!;
}

/**
 * `best`: the best passages. Answered when one covers more than chance does;
 * partial when a core concept (at least half the weight of the question's
 * rarest one) appears nowhere in the corpus as a whole (养老保险 when only
 * 养老 does): the passages then speak about part of what was asked.
 */
export function judgeLexicalEvidence(concepts: WeightedConcept[], best: RankedCandidate[], threshold: number): LexicalEvidence {
  const top = best.reduce<RankedCandidate | null>((a, b) => (a && a.coverage >= b.coverage ? a : b), null);
  if (!top || top.coverage <= threshold) return { kind: 'none' };
  const heaviest = Math.max(...concepts.map((c) => c.weight));
  const missing = concepts.filter((c) => c.weight >= heaviest / 2 && c.absent);
  if (missing.length === 0) return { kind: 'direct' };
  const found = [...new Set(best.flatMap((b) => b.matchedTerms))].filter((term) =>
    concepts.some((c) => c.weight >= heaviest / 2 && (c.terms.includes(term) || c.parts.includes(term))),
  );
  return { kind: 'partial', missing: missing.map((c) => c.label), found };
}
