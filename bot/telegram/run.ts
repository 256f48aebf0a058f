/**
 * Runs the bot until SIGINT/SIGTERM: long polling with @grammyjs/runner, or a
 * webhook server when WEBHOOK_URL is set. Shutdown stops taking updates,
 * lets the ones in flight finish, then closes the index.
 *
 * Polling stops the process with a clear message when Telegram refuses the
 * token (401) or another instance polls with it (409). The webhook server also
 * answers GET /healthz and GET /metrics, and starts before the index is loaded
 * so that a slow first build shows as "loading" rather than as a dead server.
 */
import http from 'node:http';
import { run } from '@grammyjs/runner';
import { GrammyError } from 'grammy';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import { createBot, describeError, registerCommands, type BotParts } from './bot.js';
import type { BotConfig, Delivery } from './config.js';
import type { EngineHolder } from '../../retrieval/api.js';
import type { Logger } from './log.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';

/** How long shutdown waits for updates in flight. */
const DRAIN_MS = 5_000;
/** Longest a webhook call waits for its update to be handled before it is acknowledged anyway (grammY's default is 10 s). */
const ACK_WAIT_MS = 8_000;
/** Largest webhook body accepted; Telegram's updates are a few kilobytes. */
const MAX_BODY_BYTES = 1 << 20;

type TokenConfig = BotConfig & { token: string };

/** Why Telegram will not let this process poll, as the person running it should read it; null for other errors. */
export function fatalTelegramError(error: unknown): string | null {
  if (!(error instanceof GrammyError)) return null;
  if (error.error_code === 401) return 'Telegram refused the token (401 Unauthorized): check TELEGRAM_BOT_TOKEN with @BotFather.';
  if (error.error_code === 409) {
    return `Telegram refused to deliver updates (409 Conflict: ${error.description}): stop the other instance of this bot, or its webhook.`;
  }
  return null;
}

const shutdownSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

/** Runs until a signal (exit code 0) or a fatal refusal by Telegram (exit code 1). */
export async function runBot(config: TokenConfig, holderReady: Promise<EngineHolder>, logger: Logger): Promise<number> {
  const signal = shutdownSignal();
  holderReady.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled meanwhile
  const { delivery } = config;
  let parts: BotParts | undefined;
  let holder: EngineHolder | undefined;
  let stopReceiving: () => Promise<void> = async () => {};
  let fatal: Promise<string> = new Promise(() => {});
  try {
    if (delivery.mode === 'webhook') {
      const server = await startWebhookServer(delivery, () => parts, () => holder, logger);
      stopReceiving = () =>
        new Promise((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections(); // Telegram keeps connections open; close() alone would wait for them
        });
      holder = await holderReady;
      parts = await startBot(config, holder, logger);
      await parts.bot.api.setWebhook(delivery.url, { secret_token: delivery.secret });
      logger.info({ port: delivery.port }, `@${parts.bot.botInfo.username} is listening for webhook updates`);
    } else {
      holder = await holderReady;
      parts = await startBot(config, holder, logger);
      // A webhook left from an earlier run would make getUpdates fail.
      await parts.bot.api.deleteWebhook();
      const runner = run(parts.bot, { runner: { silent: true } });
      logger.info(`@${parts.bot.botInfo.username} is polling for updates`);
      fatal = (runner.task() ?? Promise.resolve()).then(
        () => new Promise<string>(() => {}), // stopped on purpose: no verdict
        (error: unknown) => fatalTelegramError(error) ?? `polling failed: ${describeError(error, config.token)}`,
      );
      stopReceiving = async () => {
        if (runner.isRunning()) await runner.stop();
      };
    }
  } catch (error) {
    // A failed index build or a refused token: close what was opened, so that the process can exit.
    await stopReceiving().catch(() => {});
    await holder?.close().catch(() => {});
    const message = fatalTelegramError(error);
    if (!message) throw error;
    logger.fatal(message);
    return 1;
  }

  const verdict = await Promise.race([signal.then(() => null), fatal]);
  if (verdict) logger.fatal(verdict);
  else logger.info('stopping…');
  try {
    await stopReceiving();
  } catch (error) {
    logger.warn({ error: describeError(error, config.token) }, 'while stopping');
  }
  await parts.inFlight.idle(DRAIN_MS);
  await holder.close();
  logger.info('stopped');
  return verdict ? 1 : 0;
}

async function startBot(config: TokenConfig, holder: EngineHolder, logger: Logger): Promise<BotParts> {
  const parts = createBot(config, holder, logger, { admission: config.admission, retry: DEFAULT_RETRY_POLICY });
  await parts.bot.init();
  await registerCommands(parts.bot);
  return parts;
}

/** What the webhook accepts as an update: an object with a numeric update_id (grammY ignores fields it does not know). */
const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

async function startWebhookServer(
  delivery: Extract<Delivery, { mode: 'webhook' }>,
  bot: () => BotParts | undefined,
  holder: () => EngineHolder | undefined,
  logger: Logger,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    handleHttp(req, res, delivery.secret, bot(), holder(), logger).catch((error: unknown) => {
      logger.error({ error: String(error) }, 'webhook request failed');
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(delivery.port, resolve));
  return server;
}

function reply(res: http.ServerResponse, status: number, body: unknown, type = 'application/json') {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handleHttp(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  secret: string,
  parts: BotParts | undefined,
  holder: EngineHolder | undefined,
  logger: Logger,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/healthz') {
    if (!parts || !holder) return reply(res, 503, { status: 'loading' });
    return reply(res, 200, { status: 'serving', index: holder.current.manifest.builtAt });
  }
  if (req.method === 'GET' && path === '/metrics') {
    if (!parts) return reply(res, 503, { status: 'loading' });
    return reply(res, 200, await parts.metrics.registry.metrics(), parts.metrics.registry.contentType);
  }
  if (req.method !== 'POST') return reply(res, 404, { error: 'not found' });
  if (req.headers['x-telegram-bot-api-secret-token'] !== secret) return reply(res, 401, { error: 'wrong secret token' });
  // Telegram sends the update again later when it gets an error: right while the index loads.
  if (!parts) return reply(res, 503, { error: 'loading, try again' });

  const body = await readBody(req);
  const update = body === null ? null : parseUpdate(body);
  if (!update) {
    logger.warn({ bytes: body?.length ?? null }, 'webhook: malformed update refused with 400');
    return reply(res, 400, { error: 'the body must be one JSON Telegram update with a numeric update_id' });
  }
  // Acknowledged once handled, so that an update this process cannot finish (killed, crashed) is sent again by
  // Telegram, to this replica or another; but after ACK_WAIT_MS at the latest, because Telegram also sends an update
  // again when it waits too long for the answer, and handling may wait in the chat's queue.
  const handled = parts.bot.handleUpdate(update); // errors of the update are bot.catch's; a failure here is logged by the caller
  await Promise.race([handled.catch(() => {}), new Promise((resolve) => setTimeout(resolve, ACK_WAIT_MS).unref())]);
  reply(res, 200, { ok: true });
  await handled;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseUpdate(body: Buffer): Update | null {
  try {
    const parsed = updateSchema.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? (parsed.data as unknown as Update) : null;
  } catch {
    return null;
  }
}
