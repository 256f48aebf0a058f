/** What a published generation holds: its schema, corpus, the full-text evidence thresholds, and the model and calibration behind its vectors. */
import { z } from 'zod';
import { modelProfileSchema } from '../config.js';
import { retrievalError } from '../errors.js';
import { calibrationSchema } from './calibrate.js';

/**
 * Version of the stored layout; an index of another version must be rebuilt. 4: full-text evidence thresholds measured
 * at build. 5: PostgreSQL postings hold their BM25 impact instead of the counts it is computed from.
 */
export const SCHEMA_VERSION = 5;

/**
 * Full-text evidence thresholds, measured at build time by the search stage on the written generation (see
 * search/evidence-thresholds.ts): for each question size (known concepts), the coverage chance questions of that size reach.
 */
export const fullTextCalibrationSchema = z.object({
  /** Chance questions asked per size. */
  chanceQuestions: z.number().int().nonnegative(),
  evidenceThresholds: z.array(z.object({ size: z.number().int().positive(), threshold: z.number() })),
});

export type FullTextCalibration = z.infer<typeof fullTextCalibrationSchema>;

export const manifestSchema = z.object({
  schemaVersion: z.number().int(),
  builtAt: z.string(),
  corpusHash: z.string(),
  paragraphs: z.number().int().nonnegative(),
  /** What the parser warned about (files skipped, dates not read, speakers not recognised), for `npm start` to show. */
  warnings: z.array(z.string()).default([]),
  fullText: fullTextCalibrationSchema,
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

/** A manifest read from `where`: one of another schema version says so (rebuild), one that does not parse is a mismatch. */
export function parseManifest(json: unknown, where: string): Manifest {
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== SCHEMA_VERSION) throw retrievalError('INDEX_SCHEMA_MISMATCH', String(version ?? 'unknown'), SCHEMA_VERSION);
  const result = manifestSchema.safeParse(json);
  if (!result.success) throw retrievalError('INDEX_MANIFEST_MISMATCH', `${where} is not a manifest of this version`);
  return result.data;
}
