/**
 * The whole build as callers use it: index/build.ts writes a generation, and
 * before it is published, this stage measures on it what its searches need
 * (the full-text evidence thresholds), so that no question waits for them.
 */
import type { RetrievalConfig } from '../config.js';
import { buildIndexWith, type BuildSummary } from '../index/build.js';
import { measureEvidenceThresholds } from './evidence-thresholds.js';

export function buildIndex(config: RetrievalConfig, log: (line: string) => void = () => {}): Promise<BuildSummary> {
  return buildIndexWith(config, measureEvidenceThresholds, log);
}
