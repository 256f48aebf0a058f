/**
 * Vector index, step four of the pipeline: an HNSW graph (hnswlib-node) over
 * normalised paragraph vectors in cosine space; labels are paragraph ids.
 * The index is never changed in place (deletes have a history of upstream
 * bugs): every build writes a new one.
 */
import fs from 'node:fs';
import hnswlib from 'hnswlib-node';
import { retrievalError } from '../errors.js';

const { HierarchicalNSW } = hnswlib;

export interface HnswParameters {
  m: number;
  efConstruction: number;
}

export interface VectorHit {
  paragraphId: number;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

export class VectorIndex {
  private constructor(
    private readonly index: InstanceType<typeof HierarchicalNSW>,
    readonly dimension: number,
  ) {}

  static build(vectors: Map<number, number[]>, dimension: number, parameters: HnswParameters): VectorIndex {
    const index = new HierarchicalNSW('cosine', dimension);
    index.initIndex(Math.max(vectors.size, 1), parameters.m, parameters.efConstruction, 100);
    // hnswlib-node takes plain arrays, not typed arrays.
    for (const [paragraphId, vector] of vectors) index.addPoint(Array.from(vector), paragraphId);
    return new VectorIndex(index, dimension);
  }

  static read(file: string, dimension: number, count: number, efSearch: number): VectorIndex {
    if (!fs.existsSync(file)) throw retrievalError('INDEX_MANIFEST_MISMATCH', `${file} is missing`);
    const index = new HierarchicalNSW('cosine', dimension);
    index.readIndexSync(file);
    if (index.getCurrentCount() !== count) {
      throw retrievalError('INDEX_MANIFEST_MISMATCH', `manifest says ${count} vectors, the file holds ${index.getCurrentCount()}`);
    }
    index.setEf(efSearch);
    return new VectorIndex(index, dimension);
  }

  write(file: string): void {
    this.index.writeIndexSync(file);
  }

  get count(): number {
    return this.index.getCurrentCount();
  }

  /** The `k` nearest points, only among `allowed` when given (filtered during the graph search, not after it). */
  search(vector: number[], k: number, allowed: ReadonlySet<number> | null = null): VectorHit[] {
    // searchKnn throws when k exceeds the number of points it may return.
    const limit = Math.min(k, allowed ? allowed.size : this.count, this.count);
    if (limit === 0) return [];
    const filter = allowed ? (label: number) => allowed.has(label) : undefined;
    const { neighbors, distances } = this.index.searchKnn(Array.from(vector), limit, filter);
    return neighbors.map((paragraphId, i) => ({ paragraphId, similarity: 1 - distances[i]! }));
  }
}
