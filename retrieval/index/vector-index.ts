/**
 * Vector index, step four of the pipeline: an HNSW graph (hnswlib-node) over
 * normalised paragraph vectors in cosine space; labels are paragraph ids.
 * The index is never changed in place (deletes have a history of upstream
 * bugs): every build writes a new one.
 */
import fs from 'node:fs';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { modelProfileSchema } from '../config.js';
import { retrievalError } from '../errors.js';
import { calibrationSchema } from './calibrate.js';

const { HierarchicalNSW } = hnswlib;

export const manifestSchema = z.object({
  schemaVersion: z.number().int(),
  builtAt: z.string(),
  corpusHash: z.string(),
  paragraphs: z.number().int().nonnegative(),
  /** null when the build ran without a model (full-text search only). */
  vectors: z
    .object({
      model: z.string(),
      dimension: z.number().int().positive(),
      count: z.number().int().nonnegative(),
      space: z.literal('cosine'),
      m: z.number().int().positive(),
      efConstruction: z.number().int().positive(),
      /** Which model files made the vectors: a different revision or changed file means re-embedding. */
      fingerprint: z.object({ revision: z.string(), files: z.record(z.string(), z.string()) }),
      profile: modelProfileSchema,
      calibration: calibrationSchema,
    })
    .nullable(),
});

export type Manifest = z.infer<typeof manifestSchema>;

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

  search(vector: number[], k: number): VectorHit[] {
    // searchKnn throws when k exceeds the number of points.
    const limit = Math.min(k, this.count);
    if (limit === 0) return [];
    const { neighbors, distances } = this.index.searchKnn(Array.from(vector), limit);
    return neighbors.map((paragraphId, i) => ({ paragraphId, similarity: 1 - distances[i]! }));
  }
}
