/**
 * The build: parse → store → embed → index, into a new build folder that is
 * published only when every step succeeded. Without a usable model the build
 * still publishes a full-text index and says why vectors are missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RetrievalConfig } from '../config.js';
import { readCorpus } from '../ingest/corpus.js';
import { calibrate } from './calibrate.js';
import { loadEmbedder, type Embedder } from './embed.js';
import { EmbeddingCache } from './embedding-cache.js';
import { embeddingCachePath, files, newBuildFolder, publishBuild } from './index-folder.js';
import { Progress } from '../progress.js';
import { SCHEMA_VERSION, Store, writeStore } from './store.js';
import { VectorIndex, type Manifest } from './vector-index.js';
import { discoverTerms, readUserDictionary } from './vocabulary.js';

export interface BuildSummary {
  folder: string;
  documents: number;
  sections: number;
  paragraphs: number;
  speakers: number;
  warnings: string[];
  vectors: { model: string; embedded: number; cached: number; paragraphsPerSecond: number | null } | null;
}

async function embedParagraphs(
  embedder: Embedder,
  cache: EmbeddingCache,
  paragraphs: { id: number; contentHash: string; text: string }[],
): Promise<{ vectors: Map<number, number[]>; embedded: number; cached: number; perSecond: number | null }> {
  const cached = cache.get(embedder.cacheKey, paragraphs.map((p) => p.contentHash));
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
  return { vectors, embedded: missing.length, cached: paragraphs.length - missing.length, perSecond };
}

export async function buildIndex(config: RetrievalConfig, log: (line: string) => void = () => {}): Promise<BuildSummary> {
  const corpus = readCorpus(config.CORPUS_DIR);
  fs.mkdirSync(config.INDEX_DIR, { recursive: true });
  const folder = newBuildFolder(config.INDEX_DIR);
  try {
    const builtAt = new Date().toISOString();
    const texts = corpus.documents.flatMap((d) => d.sections.flatMap((s) => s.paragraphs.map((p) => p.text)));
    const userTerms = config.USER_DICTIONARY ? readUserDictionary(config.USER_DICTIONARY) : [];
    const vocabulary = [...new Set([...userTerms, ...discoverTerms(texts)])];
    log(`vocabulary: ${vocabulary.length} terms (${userTerms.length} from USER_DICTIONARY)`);
    writeStore(path.join(folder, files.database), corpus, { built_at: builtAt, corpus_hash: corpus.hash }, vocabulary);
    const store = new Store(path.join(folder, files.database));
    const counts = store.counts();
    const paragraphs = store.paragraphHashes();
    store.close();

    const loaded = await loadEmbedder(config);
    let vectorsSummary: BuildSummary['vectors'] = null;
    let manifestVectors: Manifest['vectors'] = null;
    if (!loaded.ok) {
      log(`warning: ${loaded.message}`);
    } else {
      const cache = new EmbeddingCache(embeddingCachePath(config.INDEX_DIR));
      try {
        const { vectors, embedded, cached, perSecond } = await embedParagraphs(loaded.embedder, cache, paragraphs);
        const parameters = { m: config.HNSW_M, efConstruction: config.HNSW_EF_CONSTRUCTION };
        const index = VectorIndex.build(vectors, loaded.embedder.dimension, parameters);
        index.write(path.join(folder, files.vectors));
        const calibration = await calibrate(loaded.embedder, index, paragraphs, vectors);
        log(`calibration: dense finds ${Math.round(calibration.recallAt5 * 100)}% of pseudo-queries' sources; ` +
          `evidence from similarity ${calibration.evidenceThreshold}, fusion weight ${calibration.fusionWeight}`);
        const { revision, files: modelFiles } = loaded.embedder.fingerprint;
        manifestVectors = {
          model: loaded.embedder.model, dimension: loaded.embedder.dimension, count: vectors.size, space: 'cosine', ...parameters,
          fingerprint: { revision, files: modelFiles }, profile: loaded.embedder.profile, calibration,
        };
        vectorsSummary = { model: loaded.embedder.model, embedded, cached, paragraphsPerSecond: perSecond };
      } finally {
        cache.close();
      }
    }
    const manifest: Manifest = {
      schemaVersion: SCHEMA_VERSION, builtAt, corpusHash: corpus.hash, paragraphs: counts.paragraphs, vectors: manifestVectors,
    };
    fs.writeFileSync(path.join(folder, files.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    const published = publishBuild(config.INDEX_DIR, folder);
    return { folder: published, ...counts, warnings: corpus.warnings, vectors: vectorsSummary };
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}
