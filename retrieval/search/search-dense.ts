/** Dense search: the question's embedding against the HNSW index of paragraph vectors. */
import type { Embedder } from '../index/embed.js';
import type { VectorHit, VectorIndex } from '../index/vector-index.js';

export async function denseSearch(embedder: Embedder, index: VectorIndex, question: string, limit: number): Promise<VectorHit[]> {
  const [vector] = await embedder.embedQueries([question]);
  return index.search(vector!, limit);
}
