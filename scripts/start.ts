/**
 * `npm start`: brings the index up to date with CORPUS_DIR (building it when
 * it is missing or the corpus changed; with a shared database, only when it
 * holds no index yet), then runs the Telegram bot, or, without
 * TELEGRAM_BOT_TOKEN, a chat on the console.
 */
import { buildIndex } from '../retrieval/index/build.js';
import type { RetrievalConfig } from '../retrieval/config.js';
import { hashCorpusFolder } from '../retrieval/ingest/corpus.js';
import { RetrievalError } from '../retrieval/errors.js';
import { openStore } from '../retrieval/index/store/open-store.js';
import { SCHEMA_VERSION } from '../retrieval/index/store/store.js';
import { loadBotConfig } from '../bot/telegram/config.js';
import { runConsole } from '../bot/console/chat.js';
import { EngineHolder } from '../retrieval/search/engine-holder.js';
import { createLogger } from '../bot/telegram/log.js';
import { runBot } from '../bot/telegram/run.js';
import { runCommand } from './cli.js';

/** How often a replica checks whether another replica's build has been published. */
const BUILD_WAIT_POLL_MS = 2_000;

/**
 * Whether `npm start` must build first: no index, one of another schema, or
 * (embedded store) one older than CORPUS_DIR. Replicas sharing a database
 * never rebuild it from their own corpus copies, which may lag behind:
 * `npm run build-index` publishes a changed corpus to all of them.
 */
async function needsBuild(config: RetrievalConfig): Promise<boolean> {
  const store = openStore(config);
  let manifest;
  try {
    manifest = await store.currentManifest();
  } catch (error) {
    if (error instanceof RetrievalError && error.code !== 'DATABASE_UNREACHABLE') return true; // no index, or an unreadable one
    throw error;
  } finally {
    await store.close();
  }
  if (manifest.schemaVersion !== SCHEMA_VERSION) return true;
  return !config.DATABASE_URL && manifest.corpusHash !== hashCorpusFolder(config.CORPUS_DIR);
}

/**
 * Builds, unless another replica is building the shared database right now: then its generation is awaited, and if
 * that build ends without publishing one (it failed, or its process died), this replica builds after all.
 */
async function buildOrAwait(config: RetrievalConfig, log: (line: string) => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const summary = await buildIndex(config, log);
      log(`index built: ${summary.paragraphs} paragraphs, ${summary.vectors ? `vectors from ${summary.vectors.model}` : 'full-text only'}`);
      return;
    } catch (error) {
      if (!(error instanceof RetrievalError && error.code === 'DATABASE_BUILD_RUNNING')) throw error;
      if (attempt === 0) log(`${error.message} Waiting for its index…`);
    }
    await new Promise((resolve) => setTimeout(resolve, BUILD_WAIT_POLL_MS));
    if (!(await needsBuild(config))) return;
  }
}

runCommand(async () => {
  const config = loadBotConfig();
  const logger = createLogger(config.logLevel, config.token);
  const log = (line: string) => logger.info(line);
  const openIndex = async () => {
    if (await needsBuild(config.retrieval)) {
      const where = config.retrieval.DATABASE_URL ? 'the database' : config.retrieval.INDEX_DIR;
      log(`The index in ${where} is missing or older than ${config.retrieval.CORPUS_DIR}; building it…`);
      await buildOrAwait(config.retrieval, log);
    }
    const holder = await EngineHolder.open(config.retrieval, { log });
    for (const notice of holder.current.notices) log(`note: ${notice}`);
    return holder;
  };
  const { token } = config;
  if (token) process.exitCode = await runBot({ ...config, token }, openIndex(), logger);
  else await runConsole(await openIndex());
});
