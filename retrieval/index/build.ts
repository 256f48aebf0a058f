/**
 * The build: parse → store → embed → index → measure, into a new generation of
 * the store (store/) that is published only when every step succeeded. Without a
 * usable model the build still publishes a full-text index and says why
 * vectors are missing. The last step measures, on the written generation, what
 * search would otherwise compute while a person waits (its full-text evidence
 * thresholds); search supplies it (search/build.ts), as this stage cannot import search.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RetrievalConfig } from '../config.js';
import { readCorpus } from '../ingest/corpus.js';
import { longParagraphWarnings } from './store/corpus-rows.js';
import { calibrate } from './calibrate.js';
import { loadEmbedder, type Embedder } from './embed.js';
import { EmbeddingCache } from './embedding-cache.js';
import type { FullTextCalibration, Manifest } from './manifest.js';
import { Progress } from '../progress.js';
import { openStore } from './store/open-store.js';
import { SCHEMA_VERSION, type GenerationWriter, type IndexReader, type IndexStore } from './store/store.js';
import { VectorIndex } from './vector-index.js';
import { discoverTerms, readUserDictionary } from './vocabulary.js';

export interface BuildSummary {
  /** The published generation: a build folder, or a generation number in the database. */
  generation: string;
  documents: number;
  sections: number;
  paragraphs: number;
  speakers: number;
  warnings: string[];
  vectors: { model: string; embedded: number; reused: number; cached: number; paragraphsPerSecond: number | null } | null;
}

export function embeddingCachePath(indexDir: string): string {
  return path.join(indexDir, 'embedding-cache.sqlite');
}

async function embedParagraphs(
  embedder: Embedder,
  cache: EmbeddingCache,
  generation: GenerationWriter,
  paragraphs: { id: number; contentHash: string; text: string }[],
): Promise<{ vectors: Map<number, number[]>; embedded: number; reused: number; cached: number; perSecond: number | null }> {
  const hashes = paragraphs.map((p) => p.contentHash);
  // Vectors of unchanged paragraphs come from the generation in use (a shared database), else from the local cache.
  const cached = await generation.reusableVectors(embedder.cacheKey, hashes);
  const reused = new Set(cached.keys());
  for (const [hash, vector] of cache.get(embedder.cacheKey, hashes.filter((hash) => !reused.has(hash)))) cached.set(hash, vector);
  const missing = [...new Map(paragraphs.filter((p) => !cached.has(p.contentHash)).map((p) => [p.contentHash, p])).values()];
  let perSecond: number | null = null;
  if (missing.length > 0) {
    const progress = new Progress('embedding paragraphs', missing.length, 'paragraphs');
    const fresh = new Map<string, number[]>();
    // Batches of paragraphs, so the progress bar moves and the cache fills as we go.
    const step = 64;
    for (let start = 0; start < missing.length; start += step) {
      const batch = missing.slice(start, start + step);
      const vectors = await embedder.embedPassages(batch.map((p) => p.text));
      batch.forEach((p, i) => fresh.set(p.contentHash, vectors[i]!));
      cache.put(embedder.cacheKey, new Map(batch.map((p) => [p.contentHash, fresh.get(p.contentHash)!])));
      progress.update(start + batch.length);
    }
    const seconds = progress.finish();
    perSecond = missing.length / Math.max(seconds, 0.001);
    for (const [hash, vector] of fresh) cached.set(hash, vector);
  }
  const vectors = new Map(paragraphs.map((p) => [p.id, cached.get(p.contentHash)!]));
  const reusedParagraphs = paragraphs.filter((p) => reused.has(p.contentHash)).length;
  return { vectors, embedded: missing.length, reused: reusedParagraphs, cached: paragraphs.length - missing.length - reusedParagraphs, perSecond };
}

/** Measures a written, unpublished generation through `reader`: what search needs of it before its first question. */
export type FullTextCalibrator = (reader: IndexReader, log: (line: string) => void) => Promise<FullTextCalibration>;

/** Builds and publishes a generation; `calibrateFullText` comes from the search stage (search/build.ts). */
export async function buildIndexWith(
  config: RetrievalConfig, calibrateFullText: FullTextCalibrator, log: (line: string) => void = () => {},
): Promise<BuildSummary> {
  const store = openStore(config);
  try {
    return await buildGeneration(config, store, calibrateFullText, log);
  } finally {
    await store.close();
  }
}

async function buildGeneration(
  config: RetrievalConfig, store: IndexStore, calibrateFullText: FullTextCalibrator, log: (line: string) => void,
): Promise<BuildSummary> {
  // The lock first: a replica that finds another's build running learns so at once, without reading the corpus.
  const generation = await store.beginGeneration();
  try {
    const corpus = readCorpus(config.CORPUS_DIR);
    const builtAt = new Date().toISOString();
    const warnings = [...corpus.warnings, ...longParagraphWarnings(corpus)];
    const texts = corpus.documents.flatMap((d) => d.sections.flatMap((s) => s.paragraphs.map((p) => p.text)));
    const userTerms = config.USER_DICTIONARY ? readUserDictionary(config.USER_DICTIONARY) : [];
    const vocabulary = [...new Set([...userTerms, ...discoverTerms(texts)])];
    log(`vocabulary: ${vocabulary.length} terms (${userTerms.length} from USER_DICTIONARY)`);
    await generation.writeCorpus(corpus, builtAt, vocabulary);
    const counts = await generation.counts();
    const paragraphs = await generation.paragraphHashes();

    const loaded = await loadEmbedder(config);
    let vectorsSummary: BuildSummary['vectors'] = null;
    let manifestVectors: Manifest['vectors'] = null;
    if (!loaded.ok) {
      log(`warning: ${loaded.message}`);
    } else {
      fs.mkdirSync(config.INDEX_DIR, { recursive: true });
      const cache = new EmbeddingCache(embeddingCachePath(config.INDEX_DIR));
      try {
        const { vectors, embedded, reused, cached, perSecond } = await embedParagraphs(loaded.embedder, cache, generation, paragraphs);
        const parameters = { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION };
        const index = VectorIndex.build(vectors, loaded.embedder.dimension, parameters);
        await generation.writeVectors({ vectors, index, parameters });
        const calibration = await calibrate(loaded.embedder, index, paragraphs, vectors);
        log(`calibration: dense finds ${Math.round(calibration.recallAt5 * 100)}% of pseudo-queries' sources; ` +
          `evidence from similarity ${calibration.evidenceThreshold}, fusion weight ${calibration.fusionWeight}`);
        const { revision, files: modelFiles } = loaded.embedder.fingerprint;
        manifestVectors = {
          model: loaded.embedder.model, dimension: loaded.embedder.dimension, count: vectors.size, space: 'cosine', ...parameters,
          fingerprint: { revision, files: modelFiles }, profile: loaded.embedder.profile, calibration,
        };
        vectorsSummary = { model: loaded.embedder.model, embedded, reused, cached, paragraphsPerSecond: perSecond };
      } finally {
        cache.close();
      }
    }
    const draft: Manifest = {
      schemaVersion: SCHEMA_VERSION, builtAt, corpusHash: corpus.hash, paragraphs: counts.paragraphs, warnings,
      fullText: { chanceQuestions: 0, evidenceThresholds: [] }, vectors: manifestVectors,
    };
    const reader = await generation.openDraft(draft);
    let fullText: FullTextCalibration;
    try {
      fullText = await calibrateFullText(reader, log);
    } finally {
      await reader.close();
    }
    const manifest: Manifest = { ...draft, fullText };
    const published = await generation.publish(manifest);
    return { generation: published, ...counts, warnings, vectors: vectorsSummary };
  } catch (error) {
    await generation.discard();
    throw error;
  }
}
