/**
 * Start-up's conversation with Telegram: who the bot is (getMe), its command
 * menu, and how updates arrive (setWebhook, or deleteWebhook for polling).
 *
 * While Telegram cannot be reached (no network yet, a proxy down, an API
 * blocked on the way) this keeps trying, with back-off from 1 s doubling to a
 * minute, and says so each time (`onWait`: the log and /healthz); a stop
 * signal ends the wait. What trying again cannot fix ends the start with one
 * line saying what to check: a token Telegram refuses, a TELEGRAM_API_ROOT
 * that is no Bot API server, a webhook URL Telegram will not take.
 */
import { Api, GrammyError, HttpError } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Delivery } from './config.js';
import { messagesFor, type Language } from '../presentation/i18n.js';
import { sharedCommands } from '../presentation/commands.js';

type GrammySignal = NonNullable<Parameters<Api['getMe']>[0]>;

const FIRST_WAIT_MS = 1_000;
const LONGEST_WAIT_MS = 60_000;

/** Start-up cannot go on: `message` says why and what to do. */
export class TelegramRefusal extends Error {}

export class ConnectStopped extends Error {
  constructor() {
    super('stopped while connecting to Telegram');
  }
}

/** Why Telegram will not work with this configuration, as the person running the bot should read it; null when trying again may help. */
export function refusalOf(error: unknown, apiRoot: string): string | null {
  if (!(error instanceof GrammyError)) return null;
  const code = error.error_code;
  if (code === 401) return 'Telegram refused the token (401 Unauthorized): check TELEGRAM_BOT_TOKEN with @BotFather.';
  if (code === 409) {
    return `Telegram refused to deliver updates (409 Conflict: ${error.description}): stop the other instance of this bot, or its webhook.`;
  }
  if (code === 404) {
    return `TELEGRAM_API_ROOT ${apiRoot} is not a Bot API server (${error.method}: 404 ${error.description}): check TELEGRAM_API_ROOT (default https://api.telegram.org).`;
  }
  if (code === 429 || code >= 500) return null;
  if (error.method === 'setWebhook') return `Telegram refused the webhook (${error.description}): check WEBHOOK_URL.`;
  return `Telegram refused ${error.method} (${code} ${error.description}).`;
}

/** A failure trying again may cure, in a few words: "ECONNREFUSED", "502 Bad Gateway". */
function transientReason(error: unknown): { reason: string; retryAfterMs: number } {
  if (error instanceof GrammyError) return { reason: `${error.error_code} ${error.description}`, retryAfterMs: (error.parameters.retry_after ?? 0) * 1000 };
  if (error instanceof HttpError) {
    const cause = error.error as { code?: unknown; message?: unknown; cause?: { code?: unknown } } | undefined;
    const code = cause?.code ?? cause?.cause?.code;
    return { reason: typeof code === 'string' ? code : String(cause?.message ?? error.message), retryAfterMs: 0 };
  }
  return { reason: String(error), retryAfterMs: 0 };
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new ConnectStopped());
    const timer = setTimeout(() => (signal.removeEventListener('abort', stop), resolve()), ms);
    const stop = () => (clearTimeout(timer), reject(new ConnectStopped()));
    signal.addEventListener('abort', stop, { once: true });
  });

export interface ConnectOptions {
  token: string;
  apiRoot: string;
  delivery: Delivery;
  signal: AbortSignal;
  /** Telegram could not be reached: why, which attempt failed, and how long until the next. */
  onWait: (reason: string, attempt: number, waitMs: number) => void;
}

/** Resolves with the bot's identity once Telegram knows how to deliver its updates. */
export async function connectTelegram(options: ConnectOptions): Promise<UserFromGetMe> {
  // grammY types its signal parameters with the abort-controller shim's type; Node's own is what it uses at run time.
  const signal = options.signal as unknown as GrammySignal;
  // A plain client: this loop is the retry, one call per attempt, so the first failure is reported at once.
  const api = new Api(options.token, { apiRoot: options.apiRoot });
  let waitMs = FIRST_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      const me = await api.getMe(signal);
      await registerCommands(api, signal);
      const { delivery } = options;
      if (delivery.mode === 'webhook') await api.setWebhook(delivery.url, { secret_token: delivery.secret }, signal);
      else await api.deleteWebhook({}, signal); // a webhook left from an earlier run would make getUpdates fail
      return me;
    } catch (error) {
      if (options.signal.aborted) throw new ConnectStopped();
      const refusal = refusalOf(error, options.apiRoot);
      if (refusal) throw new TelegramRefusal(refusal);
      const { reason, retryAfterMs } = transientReason(error);
      const next = Math.max(waitMs, retryAfterMs);
      options.onWait(reason, attempt, next);
      await wait(next, options.signal);
      waitMs = Math.min(waitMs * 2, LONGEST_WAIT_MS);
    }
  }
}

/** The command menu, in Chinese for Chinese clients and in English for everyone else. */
async function registerCommands(api: Api, signal: GrammySignal): Promise<void> {
  const commandsIn = (language: Language) => sharedCommands(messagesFor(language)).map(({ name, description }) => ({ command: name, description }));
  await api.setMyCommands(commandsIn('en'), {}, signal);
  await api.setMyCommands(commandsIn('zh'), { language_code: 'zh' }, signal);
}
