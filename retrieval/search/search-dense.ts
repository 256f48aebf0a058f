/** Dense search: the question's embedding against the HNSW index of paragraph vectors. */
import type { Embedder } from '../index/embed.js';
import type { Calibration } from '../index/calibrate.js';
import type { VectorHit, VectorIndex } from '../index/vector-index.js';

export async function denseSearch(embedder: Embedder, index: VectorIndex, question: string, limit: number): Promise<VectorHit[]> {
  const [vector] = await embedder.embedQueries([question]);
  return index.search(vector!, limit);
}

/**
 * The weight of the dense leg in fusion: the build's calibration (how often
 * this model finds a pseudo-query's source, and whether sources stand out
 * from unrelated text). The full-text leg weighs 1.
 */
export function denseFusionWeight(calibration: Calibration): number {
  return calibration.fusionWeight;
}

/** A dense hit is evidence that the corpus answers when it is more similar than any unrelated pair the calibration saw. */
export function isDenseEvidence(similarity: number, calibration: Calibration): boolean {
  return similarity >= calibration.evidenceThreshold;
}
