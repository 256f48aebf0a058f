/**
 * The HTTP server of webhook mode: POST an update (with Telegram's secret
 * header), GET /healthz and GET /metrics. It listens from the first moment of
 * start-up, so a slow first build shows as "starting" rather than as a dead
 * server, and what it does with an update is the caller's (`receive`).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { Update } from 'grammy/types';
import type { Registry } from 'prom-client';
import { updateSchema } from '../inbox/inbox.js';
import type { Logger } from './log.js';

/** Largest webhook body accepted; Telegram's updates are a few kilobytes. */
const MAX_BODY_BYTES = 1 << 20;
/** A body past this is not read to its end: the connection is closed instead. */
const MAX_DRAINED_BYTES = 64 << 20;

export interface Health {
  /** 200 when serving, 503 otherwise. */
  serving: boolean;
  body: Record<string, unknown>;
}

export interface WebhookHandlers {
  secret: string;
  health: () => Health;
  metrics: () => Registry | undefined;
  /**
   * Takes one update; resolves with true once it is safe to tell Telegram it arrived (200), with false when the bot
   * cannot take updates yet (503), and rejects when taking it failed (500). Telegram sends it again after an error.
   */
  receive: (update: Update) => Promise<boolean>;
}

/** The port is taken: a message to print as is. */
export class PortInUse extends Error {}

/** Listens on `port`; a port in use becomes PortInUse with a one-line message. */
export async function startWebhookServer(port: number, handlers: WebhookHandlers, logger: Logger): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    handle(req, res, handlers, logger).catch((error: unknown) => {
      logger.error({ error: String(error) }, 'webhook request failed');
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUse(`PORT ${port} is in use by another process: stop it, or set PORT to a free port.`) : error),
    );
    server.listen(port, () => resolve());
  });
  return server;
}

/** Stops taking connections and ends idle keep-alive ones (Telegram keeps them open; close() alone would wait for them). */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

function reply(res: http.ServerResponse, status: number, body: unknown, type = 'application/json') {
  const text = type === 'application/json' ? JSON.stringify(body) : String(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Compares in constant time, so that the answer's timing tells nothing about how much of a guessed secret was right. */
function isSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (text: string) => crypto.createHash('sha256').update(text).digest();
  return crypto.timingSafeEqual(digest(given), digest(secret));
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, handlers: WebhookHandlers, logger: Logger): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/healthz') {
    const health = handlers.health();
    return reply(res, health.serving ? 200 : 503, health.body);
  }
  if (req.method === 'GET' && path === '/metrics') {
    const registry = handlers.metrics();
    if (!registry) return reply(res, 503, { status: 'starting' });
    return reply(res, 200, await registry.metrics(), registry.contentType);
  }
  if (req.method !== 'POST') return reply(res, 404, { error: 'not found' });
  if (!isSecret(req.headers['x-telegram-bot-api-secret-token'], handlers.secret)) {
    req.resume(); // read the body away, so that the connection can carry the next request
    return reply(res, 401, { error: 'wrong secret token' });
  }

  const body = await readBody(req);
  if (body === 'too large') {
    logger.warn('webhook: a body over 1 MiB refused with 413');
    return reply(res, 413, { error: 'the body is larger than 1 MiB' });
  }
  const update = parseUpdate(body);
  if (!update) {
    logger.warn({ bytes: body.length }, 'webhook: malformed update refused with 400');
    return reply(res, 400, { error: 'the body must be one JSON Telegram update with a numeric update_id' });
  }
  let taken: boolean;
  try {
    taken = await handlers.receive(update);
  } catch (error) {
    logger.error({ update: update.update_id, error: String(error) }, 'webhook: could not take the update; answered 500');
    return reply(res, 500, { error: 'could not take the update, send it again' });
  }
  if (taken) reply(res, 200, { ok: true });
  else reply(res, 503, { error: 'starting, send it again' });
}

/**
 * The body, or 'too large'. A body past the limit is still read to its end (and dropped), so that the keep-alive
 * connection stays in step for the next request; one past MAX_DRAINED_BYTES ends the connection instead.
 */
async function readBody(req: http.IncomingMessage): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAINED_BYTES) {
      req.socket.destroy();
      return 'too large';
    }
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? 'too large' : Buffer.concat(chunks);
}

function parseUpdate(body: Buffer): Update | null {
  try {
    const parsed = updateSchema.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? (parsed.data as unknown as Update) : null;
  } catch {
    return null;
  }
}
