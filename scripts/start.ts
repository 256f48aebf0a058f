/**
 * `npm start`: brings the index up to date with CORPUS_DIR (building it when
 * it is missing or the corpus changed; with a shared database, only when it
 * holds no index yet), then runs the Telegram bot, or, without
 * TELEGRAM_BOT_TOKEN, a chat on the console.
 */
import { openUpToDate } from '../retrieval/api.js';
import { runConsole } from '../bot/console/chat.js';
import { openFeedback } from '../bot/feedback/open-feedback.js';
import { loadBotConfig } from '../bot/telegram/config.js';
import { createLogger } from '../bot/telegram/log.js';
import { runBot } from '../bot/telegram/run.js';
import { runCommand } from './cli.js';

runCommand(async () => {
  const config = loadBotConfig();
  const logger = createLogger(config.logLevel, config.token);
  const log = (line: string) => logger.info(line);
  const openIndex = async (signal: AbortSignal) => {
    const holder = await openUpToDate(config.retrieval, { log, signal });
    for (const notice of holder.current.notices) log(`note: ${notice}`);
    return holder;
  };
  const { token } = config;
  // Exits as soon as the bot says it stopped: work it gave up at the drain's end, or a build stopped at start-up, must not run on.
  if (token) process.exit(await runBot({ ...config, token }, openIndex, logger));
  else {
    const holder = await openIndex(new AbortController().signal);
    await runConsole(holder, await openFeedback(config.retrieval, config.feedbackSalt));
  }
});
