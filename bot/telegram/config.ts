/**
 * Settings of the bot, read from the environment: the retrieval settings plus
 * how to reach Telegram. Updates arrive either by long polling or, when
 * WEBHOOK_URL is set, by a webhook; `delivery` says which, with what it needs.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_ADMISSION, type AdmissionSettings } from './admission.js';
import { loadRetrievalConfig, parseEnv, type RetrievalConfig } from '../../retrieval/api.js';

export type Delivery =
  | { mode: 'polling' }
  | { mode: 'webhook'; url: string; secret: string; port: number };

export interface BotConfig {
  retrieval: RetrievalConfig;
  /** Unset: no Telegram at all, the bot talks on the console instead. */
  token: string | undefined;
  apiRoot: string;
  delivery: Delivery;
  logLevel: string;
  admission: AdmissionSettings;
  /** Salt of the pseudonyms in reader feedback; unset: one made on first use and kept with the feedback. */
  feedbackSalt: string | undefined;
  /** How long a replica's claim on an update in the shared inbox holds unless renewed (bot/inbox/postgres-inbox.ts). */
  inboxLeaseMs: number;
}

export const botConfigSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-DEF… (ask @BotFather)').optional(),
    TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
    WEBHOOK_URL: z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).optional(),
    // Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -.
    WEBHOOK_SECRET: z.string().regex(/^[\w-]{1,256}$/, 'may only hold A-Z, a-z, 0-9, _ and -, at most 256').optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    QUEUE_PER_CHAT: z.coerce.number().int().min(1).max(1000).default(DEFAULT_ADMISSION.perChat),
    SEARCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(DEFAULT_ADMISSION.concurrency),
    FEEDBACK_SALT: z.string().min(16, 'must be at least 16 characters, e.g. the output of openssl rand -hex 32').optional(),
    INBOX_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  })
  .transform((env): Omit<BotConfig, 'retrieval'> => ({
    token: env.TELEGRAM_BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    admission: { ...DEFAULT_ADMISSION, perChat: env.QUEUE_PER_CHAT, concurrency: env.SEARCH_CONCURRENCY },
    feedbackSalt: env.FEEDBACK_SALT,
    inboxLeaseMs: env.INBOX_LEASE_SECONDS * 1000,
    delivery: env.WEBHOOK_URL
      ? {
          mode: 'webhook',
          url: env.WEBHOOK_URL,
          // Derived from the token when not given, so that every replica of the bot agrees on it.
          secret: env.WEBHOOK_SECRET ?? webhookSecretFor(env.TELEGRAM_BOT_TOKEN ?? ''),
          port: env.PORT,
        }
      : { mode: 'polling' },
  }));

/** A webhook secret only the token's owner can compute (Telegram allows [A-Za-z0-9_-], at most 256). */
export function webhookSecretFor(token: string): string {
  return crypto.createHmac('sha256', token).update('telegram webhook secret').digest('hex');
}

export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  return { ...parseEnv(botConfigSchema, env), retrieval: loadRetrievalConfig(env) };
}
