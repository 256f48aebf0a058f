/**
 * `npm start`: brings the index up to date with CORPUS_DIR (building it when
 * it is missing or the corpus changed), then runs the Telegram bot, or, without
 * TELEGRAM_BOT_TOKEN, a chat on the console.
 */
import { buildIndex } from '../retrieval/index/build.js';
import type { RetrievalConfig } from '../retrieval/config.js';
import { hashCorpusFolder } from '../retrieval/ingest/corpus.js';
import { RetrievalError } from '../retrieval/errors.js';
import { openStore } from '../retrieval/index/store/open-store.js';
import { SCHEMA_VERSION } from '../retrieval/index/store/store.js';
import { loadBotConfig } from '../bot/config.js';
import { runConsole } from '../bot/console.js';
import { EngineHolder } from '../bot/engine-holder.js';
import { createLogger } from '../bot/log.js';
import { runBot } from '../bot/run.js';
import { runCommand } from './cli.js';

async function indexIsCurrent(config: RetrievalConfig): Promise<boolean> {
  const store = openStore(config);
  let manifest;
  try {
    manifest = await store.currentManifest();
  } catch (error) {
    if (error instanceof RetrievalError) return false; // no index, or an unreadable one: build
    throw error;
  } finally {
    await store.close();
  }
  return manifest.schemaVersion === SCHEMA_VERSION && manifest.corpusHash === hashCorpusFolder(config.CORPUS_DIR);
}

runCommand(async () => {
  const config = loadBotConfig();
  const logger = createLogger(config.logLevel, config.token);
  const log = (line: string) => logger.info(line);
  const openIndex = async () => {
    if (!(await indexIsCurrent(config.retrieval))) {
      log(`The index in ${config.retrieval.DATABASE_URL ? 'the database' : config.retrieval.INDEX_DIR} is missing or older than ${config.retrieval.CORPUS_DIR}; building it…`);
      const summary = await buildIndex(config.retrieval, log);
      log(`index built: ${summary.paragraphs} paragraphs, ${summary.vectors ? `vectors from ${summary.vectors.model}` : 'full-text only'}`);
    }
    const holder = await EngineHolder.open(config.retrieval, { log });
    for (const notice of holder.current.notices) log(`note: ${notice}`);
    return holder;
  };
  const { token } = config;
  if (token) process.exitCode = await runBot({ ...config, token }, openIndex(), logger);
  else await runConsole(await openIndex());
});
