/**
 * Hybrid ranking: reciprocal rank fusion of the lexical and dense lists.
 * RRF needs no score calibration between BM25 and cosine similarity, which
 * live on unrelated scales; k = 60 is the constant of Cormack et al. (2009).
 */
const RRF_K = 60;

export function reciprocalRankFusion(lists: number[][]): { paragraphId: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.forEach((paragraphId, rank) => scores.set(paragraphId, (scores.get(paragraphId) ?? 0) + 1 / (RRF_K + rank + 1)));
  }
  return [...scores.entries()]
    .map(([paragraphId, score]) => ({ paragraphId, score }))
    .sort((a, b) => b.score - a.score || a.paragraphId - b.paragraphId);
}
