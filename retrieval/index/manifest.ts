/** What a published generation holds: its schema, corpus, and the model and calibration behind its vectors. */
import { z } from 'zod';
import { modelProfileSchema } from '../config.js';
import { calibrationSchema } from './calibrate.js';

export const manifestSchema = z.object({
  schemaVersion: z.number().int(),
  builtAt: z.string(),
  corpusHash: z.string(),
  paragraphs: z.number().int().nonnegative(),
  /** What the parser warned about (files skipped, dates not read, speakers not recognised), for `npm start` to show. */
  warnings: z.array(z.string()).default([]),
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
