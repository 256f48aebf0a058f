/**
 * What `npm start` does before it serves: brings the store's index up to date
 * with CORPUS_DIR (building it when it is missing, of another schema, or, in a
 * store of this machine only, older than the corpus), then opens it in an
 * engine holder. Replicas sharing a store never rebuild it from their own
 * corpus copies, which may lag behind: `npm run build-index` publishes a
 * changed corpus to all of them.
 */
import type { RetrievalConfig } from '../config.js';
import { RetrievalError } from '../errors.js';
import { hashCorpusFolder } from '../ingest/corpus.js';
import { BuildStoppedError, buildIndexOffThread } from './build-off-thread.js';
import { openStore } from '../index/store/open-store.js';
import { SCHEMA_VERSION, type IndexStore } from '../index/store/store.js';
import { EngineHolder, type EngineHolderOptions } from './engine-holder.js';

/** How often a replica checks whether another replica's build has been published. */
const BUILD_WAIT_POLL_MS = 2_000;

/** Whether the index must be built first: no index, one of another schema, or (a store of this machine) one older than the corpus. */
async function needsBuild(store: IndexStore, config: RetrievalConfig): Promise<boolean> {
  let manifest;
  try {
    manifest = await store.currentManifest();
  } catch (error) {
    if (error instanceof RetrievalError && error.code !== 'DATABASE_UNREACHABLE') return true; // no index, or an unreadable one
    throw error;
  }
  if (manifest.schemaVersion !== SCHEMA_VERSION) return true;
  return !store.shared && manifest.corpusHash !== hashCorpusFolder(config.CORPUS_DIR);
}

async function withStore<T>(config: RetrievalConfig, work: (store: IndexStore) => Promise<T>): Promise<T> {
  const store = openStore(config);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * Builds, unless another replica is building the shared database right now: then its generation is awaited, and if
 * that build ends without publishing one (it failed, or its process died), this replica builds after all.
 */
async function buildOrAwait(config: RetrievalConfig, log: (line: string) => void, signal: AbortSignal | undefined): Promise<'built' | 'awaited'> {
  for (let attempt = 0; ; attempt++) {
    try {
      const summary = await buildIndexOffThread(config, log, signal);
      log(`index built: ${summary.paragraphs} paragraphs, ${summary.vectors ? `vectors from ${summary.vectors.model}` : 'full-text only'}`);
      return 'built';
    } catch (error) {
      if (!(error instanceof RetrievalError && error.code === 'DATABASE_BUILD_RUNNING')) throw error;
      if (attempt === 0) log(`${error.message} Waiting for its index…`);
    }
    await new Promise((resolve) => setTimeout(resolve, BUILD_WAIT_POLL_MS));
    if (signal?.aborted) throw new BuildStoppedError();
    if (!(await withStore(config, (store) => needsBuild(store, config)))) return 'awaited';
  }
}

/**
 * Builds the index if it is due (see above), then opens it for serving, swapping to every newer generation. The build
 * runs in a worker thread (build-off-thread.ts), so that the caller stays responsive; `signal` stops it, with
 * BuildStoppedError.
 */
export async function openUpToDate(config: RetrievalConfig, options: EngineHolderOptions & { signal?: AbortSignal } = {}): Promise<EngineHolder> {
  const log = options.log ?? (() => {});
  const due = await withStore(config, async (store) => {
    if (!(await needsBuild(store, config))) return null;
    return { where: store.shared ? 'the database' : store.location };
  });
  let built = false;
  if (due) {
    log(`The index in ${due.where} is missing or older than ${config.CORPUS_DIR}; building it…`);
    built = (await buildOrAwait(config, log, options.signal)) === 'built';
  }
  // A build here has just tried the model and said why it failed, with the advice: the retry waits MODEL_RETRY_MS.
  return EngineHolder.open(config, { ...options, recoverAtOnce: options.recoverAtOnce ?? !built });
}
