/**
 * Calibration of the dense leg, per model and per corpus, at build time and
 * without labels. Pseudo-queries are taken from the corpus itself: a clause of
 * a paragraph, question-length, with every third character dropped so that it
 * no longer quotes the text. We measure
 *  - how often dense search ranks the paragraph a pseudo-query came from in its top 5,
 *  - how similar a pseudo-query is to the best paragraph it did not come from,
 *  - the similarity of unrelated pairs (a pseudo-query and a paragraph far away).
 * Search reads two figures from this: the similarity from which a passage
 * counts as evidence (what the best non-source match rarely reaches), and how
 * much say the dense leg gets in fusion (a model that misses a pseudo-query's
 * source more often than it finds it gets none).
 */
import { z } from 'zod';
import { splitClauses } from '../text.js';
import type { Embedder } from './embed.js';
import type { VectorIndex } from './vector-index.js';

export const calibrationSchema = z.object({
  /** Pseudo-queries sampled. */
  queries: z.number().int().nonnegative(),
  /** Share of pseudo-queries whose source paragraph dense search ranks in its top 5. */
  recallAt5: z.number(),
  /** Median cosine similarity of a pseudo-query and its source paragraph. */
  sourceSimilarity: z.number(),
  /** 95th percentile of a pseudo-query's similarity to its best match that is not its source. */
  bestOtherSimilarity: z.number(),
  /** Cosine similarity of pseudo-queries and paragraphs far from their source. */
  unrelated: z.object({ pairs: z.number().int().nonnegative(), p50: z.number(), p95: z.number(), max: z.number() }),
  /** Similarity from which a dense hit counts as evidence that the corpus answers. */
  evidenceThreshold: z.number(),
  /** Weight of the dense leg in rank fusion, 0–1 (the full-text leg weighs 1). */
  fusionWeight: z.number().min(0).max(1),
});

export type Calibration = z.infer<typeof calibrationSchema>;

const SAMPLE = 80;
/** Questions are short: a probe is a clause of this many characters (before dropping every third). */
const CLAUSE_LENGTH = { min: 8, max: 20 };
/** Unrelated partners per pseudo-query: paragraphs a third, half and two thirds of the corpus away. */
const PARTNER_OFFSETS = [1 / 3, 1 / 2, 2 / 3];
/** A leg that finds 9 sources in 10 gets full say, as much as the full-text leg. */
const FULL_SAY_RECALL = 0.9;
/**
 * A question-like probe made from a paragraph, or null if it has no clause of
 * question length: its middle such clause, every third character dropped
 * (a question rarely quotes; this keeps the topic, not the wording).
 */
export function pseudoQuery(text: string): string | null {
  const clauses = splitClauses(text).filter((c) => [...c].length >= CLAUSE_LENGTH.min && [...c].length <= CLAUSE_LENGTH.max);
  const clause = clauses[Math.floor(clauses.length / 2)];
  return clause ? [...clause].filter((_, i) => i % 3 !== 2).join('') : null;
}

/** Evenly spread over the corpus, so every document contributes; deterministic, so builds repeat. */
export function sampleEvenly<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]!);
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const dot = (a: number[], b: number[]): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Pure: the two figures search uses, from what the probes measured.
 * Evidence: the 95th percentile of the best non-source match, so a dense hit
 * counts only when it beats what text that merely shares the topic reaches
 * (an out-of-corpus question meets its best match among all paragraphs, so a
 * mean of random pairs would be far too low). Fusion weight: the log-odds of
 * finding the source, relative to those of a leg with full say; at or below
 * even odds the leg gets no say.
 */
export function deriveSettings(recallAt5: number, bestOtherSimilarities: number[]): Pick<Calibration, 'evidenceThreshold' | 'fusionWeight'> {
  const evidenceThreshold = Math.min(1, quantile([...bestOtherSimilarities].sort((a, b) => a - b), 0.95));
  const odds = logit(Math.min(Math.max(recallAt5, 0.001), 0.999)) / logit(FULL_SAY_RECALL);
  return { evidenceThreshold, fusionWeight: Math.max(0, Math.min(1, odds)) };
}

export async function calibrate(
  embedder: Embedder,
  index: VectorIndex,
  paragraphs: { id: number; text: string }[],
  vectors: Map<number, number[]>,
): Promise<Calibration> {
  const probes = sampleEvenly(
    paragraphs.flatMap((p) => {
      const query = pseudoQuery(p.text);
      return query ? [{ id: p.id, query }] : [];
    }),
    SAMPLE,
  );
  const queryVectors = await embedder.embedQueries(probes.map((p) => p.query));
  const texts = new Map(paragraphs.map((p) => [p.id, p.text]));
  let found = 0;
  const sourceSimilarities: number[] = [];
  const bestOther: number[] = [];
  const unrelated: number[] = [];
  probes.forEach((probe, i) => {
    const vector = queryVectors[i]!;
    const hits = index.search(vector, 10);
    if (hits.slice(0, 5).some((hit) => hit.paragraphId === probe.id)) found += 1;
    sourceSimilarities.push(dot(vector, vectors.get(probe.id)!));
    const other = hits.find((hit) => hit.paragraphId !== probe.id && texts.get(hit.paragraphId) !== texts.get(probe.id));
    if (other) bestOther.push(other.similarity);
    for (const offset of PARTNER_OFFSETS) {
      const partner = probes[(i + Math.round(offset * probes.length)) % probes.length]!;
      if (partner.id !== probe.id) unrelated.push(dot(vector, vectors.get(partner.id)!));
    }
  });
  const recallAt5 = probes.length === 0 ? 0 : found / probes.length;
  const sortedUnrelated = [...unrelated].sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  const derived = deriveSettings(recallAt5, bestOther);
  return {
    queries: probes.length,
    recallAt5: round(recallAt5),
    sourceSimilarity: round(quantile([...sourceSimilarities].sort((a, b) => a - b), 0.5)),
    bestOtherSimilarity: round(quantile([...bestOther].sort((a, b) => a - b), 0.95)),
    unrelated: {
      pairs: unrelated.length,
      p50: round(quantile(sortedUnrelated, 0.5)),
      p95: round(quantile(sortedUnrelated, 0.95)),
      max: round(quantile(sortedUnrelated, 1)),
    },
    evidenceThreshold: round(derived.evidenceThreshold),
    fusionWeight: round(derived.fusionWeight),
  };
}
