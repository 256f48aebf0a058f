/**
 * Runs the bot until SIGINT/SIGTERM: long polling with @grammyjs/runner, or a
 * webhook server when WEBHOOK_URL is set. Shutdown stops taking updates,
 * lets the ones in flight finish, then closes the index.
 */
import http from 'node:http';
import { run } from '@grammyjs/runner';
import { webhookCallback } from 'grammy';
import { createBot, describeError, registerCommands } from './bot.js';
import type { BotConfig } from './config.js';
import type { EngineHolder } from './engine-holder.js';

/** How long shutdown waits for updates in flight. */
const DRAIN_MS = 5_000;

export async function runBot(config: BotConfig & { token: string }, holder: EngineHolder, log: (line: string) => void): Promise<void> {
  const { bot, inFlight } = createBot(config, holder, log);
  await bot.init();
  await registerCommands(bot);

  let stopReceiving: () => Promise<void>;
  const { delivery } = config;
  if (delivery.mode === 'webhook') {
    const handle = webhookCallback(bot, 'http', { secretToken: delivery.secret, onTimeout: 'return' });
    const server = http.createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(delivery.port, resolve));
    await bot.api.setWebhook(delivery.url, { secret_token: delivery.secret });
    log(`@${bot.botInfo.username} is listening for webhook updates on port ${delivery.port}`);
    stopReceiving = () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections(); // Telegram keeps connections open; close() alone would wait for them
      });
  } else {
    // A webhook left from an earlier run would make getUpdates fail.
    await bot.api.deleteWebhook();
    const runner = run(bot);
    log(`@${bot.botInfo.username} is polling for updates`);
    stopReceiving = async () => {
      await runner.stop();
    };
  }

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping…');
  try {
    await stopReceiving();
  } catch (error) {
    log(`while stopping: ${describeError(error, config.token)}`);
  }
  await inFlight.idle(DRAIN_MS);
  holder.close();
  log('stopped');
}
