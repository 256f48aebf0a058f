/**
 * `npm start`: brings the index up to date with CORPUS_DIR (building it when
 * it is missing or the corpus changed; with a shared database, only when it
 * holds no index yet), then runs the Telegram bot, or, without
 * TELEGRAM_BOT_TOKEN, a chat on the console. Either way it says what the
 * engine noted (a missing model) and what the corpus warned about.
 */
import { type EngineHolder, openUpToDate, type RetrievalConfig } from '../retrieval/api.js';
import { ConsoleChat } from '../bot/console/chat.js';
import { openFeedback } from '../bot/feedback/open-feedback.js';
import { loadBotConfig } from '../bot/telegram/config.js';
import { createLogger } from '../bot/telegram/log.js';
import { runBot } from '../bot/telegram/run.js';
import { runCommand, warningLines } from './cli.js';

interface StartLog {
  info: (line: string) => void;
  /** The corpus's warnings, each a string as `npm run build-index` prints it. */
  warnings: (warnings: string[]) => void;
}

async function openIndex(config: RetrievalConfig, signal: AbortSignal, log: StartLog): Promise<EngineHolder> {
  const holder = await openUpToDate(config, { log: log.info, signal });
  for (const notice of holder.current.notices) log.info(`note: ${notice}`);
  if (holder.current.manifest.warnings.length > 0) log.warnings(holder.current.manifest.warnings);
  return holder;
}

const command = {
  name: 'start',
  about:
    'Builds the index when it is missing or older than CORPUS_DIR, then runs the Telegram bot (TELEGRAM_BOT_TOKEN set)\n' +
    'or, without a token, a console chat in the terminal that answers the same way (/help there lists its commands).',
  options: {},
} as const;

runCommand(command, async () => {
  const config = loadBotConfig();
  const { token } = config;
  if (token) {
    const logger = createLogger(config.logLevel, token);
    const log: StartLog = {
      info: (line) => logger.info(line),
      warnings: (warnings) => warnings.forEach((warning) => logger.warn({ warning }, 'corpus warning')),
    };
    // Exits as soon as the bot says it stopped: work it gave up at the drain's end, or a build stopped at start-up, must not run on.
    process.exit(await runBot({ ...config, token }, (signal) => openIndex(config.retrieval, signal, log), logger));
  }
  // The chat first, so that start-up lines go through it and come before its prompt.
  const chat = new ConsoleChat();
  const log: StartLog = { info: chat.log, warnings: (warnings) => warningLines(warnings).forEach(chat.log) };
  const holder = await openIndex(config.retrieval, new AbortController().signal, log);
  await chat.run(holder, await openFeedback(config.retrieval, config.feedbackSalt));
});
