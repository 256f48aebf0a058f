/** Dense search: the question's embedding against the HNSW index of paragraph vectors in the store. */
import type { Embedder } from '../index/embed.js';
import type { Calibration } from '../index/calibrate.js';
import type { IndexReader } from '../index/store/store.js';
import type { VectorHit } from '../index/vector-index.js';

export async function denseSearch(
  embedder: Embedder, reader: IndexReader, question: string, limit: number, allowed: ReadonlySet<number> | null,
): Promise<VectorHit[]> {
  const [vector] = await embedder.embedQueries([question]);
  return reader.nearest(vector!, limit, allowed);
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
