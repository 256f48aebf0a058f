/**
 * Settings of the bot, read from the environment: the retrieval settings plus
 * how to reach Telegram. Updates arrive either by long polling or, when
 * WEBHOOK_URL is set, by a webhook; `delivery` says which, with what it needs.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { loadRetrievalConfig, parseEnv, type RetrievalConfig } from '../retrieval/config.js';

export type Delivery =
  | { mode: 'polling' }
  | { mode: 'webhook'; url: string; secret: string; port: number };

export interface RateLimit {
  requests: number;
  windowMs: number;
}

export interface BotConfig {
  retrieval: RetrievalConfig;
  /** Unset: no Telegram at all, the bot talks on the console instead. */
  token: string | undefined;
  apiRoot: string;
  delivery: Delivery;
  rateLimit: RateLimit;
}

/** "5/10s": at most 5 requests per user in any 10 seconds. */
const rateLimit = z
  .string()
  .regex(/^\d+\/\d+s$/, 'must look like 5/10s (requests per seconds)')
  .transform((value): RateLimit => {
    const [requests, seconds] = value.slice(0, -1).split('/').map(Number) as [number, number];
    return { requests, windowMs: seconds * 1000 };
  })
  .refine((limit) => limit.requests > 0 && limit.windowMs > 0, 'both numbers must be positive');

export const botConfigSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-DEF… (ask @BotFather)').optional(),
    TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
    WEBHOOK_URL: z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).optional(),
    // Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -.
    WEBHOOK_SECRET: z.string().regex(/^[\w-]{1,256}$/, 'may only hold A-Z, a-z, 0-9, _ and -, at most 256').optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    RATE_LIMIT: rateLimit.default({ requests: 5, windowMs: 10_000 }),
  })
  .transform((env): Omit<BotConfig, 'retrieval'> => ({
    token: env.TELEGRAM_BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    rateLimit: env.RATE_LIMIT,
    delivery: env.WEBHOOK_URL
      ? {
          mode: 'webhook',
          url: env.WEBHOOK_URL,
          // A secret nobody else knows is enough: Telegram learns it from setWebhook on every start.
          secret: env.WEBHOOK_SECRET ?? crypto.randomBytes(32).toString('hex'),
          port: env.PORT,
        }
      : { mode: 'polling' },
  }));

export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  return { ...parseEnv(botConfigSchema, env), retrieval: loadRetrievalConfig(env) };
}
