/**
 * Hybrid ranking: weighted reciprocal rank fusion of the lexical and dense
 * lists. RRF needs no score calibration between BM25 and cosine similarity,
 * which live on unrelated scales; k = 60 is the constant of Cormack et al.
 * (2009). Plain RRF gives a poor leg the same vote as a good one, so each list
 * carries a weight: the dense leg's comes from the build's calibration.
 */
const RRF_K = 60;

export interface RankedList {
  paragraphIds: number[];
  weight: number;
}

export function reciprocalRankFusion(lists: RankedList[]): { paragraphId: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const { paragraphIds, weight } of lists) {
    paragraphIds.forEach((paragraphId, rank) => scores.set(paragraphId, (scores.get(paragraphId) ?? 0) + weight / (RRF_K + rank + 1)));
  }
  return [...scores.entries()]
    .map(([paragraphId, score]) => ({ paragraphId, score }))
    .sort((a, b) => b.score - a.score || a.paragraphId - b.paragraphId);
}
