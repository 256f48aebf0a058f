/**
 * Retries of outgoing Bot API calls, as a grammY API transformer.
 *
 * @grammyjs/auto-retry covers 429 and 5xx, but retries network errors (a reset,
 * a hang-up, Telegram's 502 HTML page, which grammY reports as an HttpError)
 * without any bound, starting at 3 s. Here every kind is retried with the same
 * bounded back-off and a bound on the total time, then the last error is thrown
 * for the update's error handler to log with its update id.
 *
 * getUpdates is left alone: the runner retries it itself and keeps its offset,
 * so a failed poll neither loses nor repeats an update.
 */
import { HttpError, type Transformer } from 'grammy';
import { isSendingMethod, SendPacer } from './send-pacer.js';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** First back-off; it doubles after each failure, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts later than this after the first attempt. */
  totalMs: number;
  /** Sending calls started per second at most (Telegram's per-bot limit); Infinity: no pacing. */
  messagesPerSecond: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 8, baseDelayMs: 100, maxDelayMs: 5_000, totalMs: 30_000, messagesPerSecond: 25 };

/** Why a call failed in a way worth trying again, and how long Telegram asks us to wait (0: our own back-off). */
export type Retryable = { reason: string; retryAfterMs: number };

export type OnRetry = (method: string, attempt: number, why: Retryable, delayMs: number) => void;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('request aborted'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('request aborted'))), { once: true });
  });

export function retryTransformer(policy: RetryPolicy = DEFAULT_RETRY_POLICY, onRetry: OnRetry = () => {}): Transformer {
  const pacer = new SendPacer(policy.messagesPerSecond);
  return async (prev, method, payload, signal) => {
    if (method === 'getUpdates') return reportPollFailure(prev(method, payload, signal), signal as AbortSignal | undefined, onRetry);
    const paced = isSendingMethod(method) && policy.messagesPerSecond !== Infinity;
    const chat = chatOf(payload);
    const started = Date.now();
    let delay = policy.baseDelayMs;
    for (let attempt = 1; ; attempt++) {
      let why: Retryable;
      try {
        if (paced) await pacer.turn(chat);
        const result = await prev(method, payload, signal);
        const retryAfter = result.ok ? undefined : result.parameters?.retry_after;
        if (result.ok || (result.error_code < 500 && retryAfter === undefined)) return result;
        why = { reason: `${result.error_code} ${result.description}`, retryAfterMs: (retryAfter ?? 0) * 1000 };
        if (!canRetry(attempt, started, why, delay, policy)) return result;
        // A 429 holds up the chat it was for, or everyone when it is the bot's limit (send-pacer.ts); only for waits within the bound.
        if (retryAfter !== undefined) pacer.tooManyRequests(chat, retryAfter * 1000);
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted) throw error;
        why = { reason: networkReason(error), retryAfterMs: 0 };
        if (!canRetry(attempt, started, why, delay, policy)) throw error;
      }
      const wait = Math.max(why.retryAfterMs, delay);
      onRetry(method, attempt, why, wait);
      await sleep(wait, signal as AbortSignal | undefined);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  };
}

/** The chat a call is for, as the pacer keys it; undefined for calls that are for no chat (inline answers, callbacks). */
function chatOf(payload: unknown): string | undefined {
  const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
  return typeof chatId === 'number' || typeof chatId === 'string' ? String(chatId) : undefined;
}

/** A failed poll is only reported here; the runner polls again with the same offset. */
async function reportPollFailure<T extends { ok: boolean }>(call: Promise<T>, signal: AbortSignal | undefined, onRetry: OnRetry): Promise<T> {
  try {
    const result = await call;
    if (!result.ok) {
      const { error_code, description } = result as unknown as { error_code: number; description: string };
      onRetry('getUpdates', 1, { reason: `${error_code} ${description}`, retryAfterMs: 0 }, 0);
    }
    return result;
  } catch (error) {
    if (!signal?.aborted) onRetry('getUpdates', 1, { reason: error instanceof HttpError ? networkReason(error) : String(error), retryAfterMs: 0 }, 0);
    throw error;
  }
}

function canRetry(attempt: number, started: number, why: Retryable, delay: number, policy: RetryPolicy): boolean {
  const wait = Math.max(why.retryAfterMs, delay);
  return attempt < policy.attempts && Date.now() - started + wait <= policy.totalMs;
}

/** "ECONNRESET", "socket hang up", "invalid json" …: the cause as the network layer named it. */
function networkReason(error: HttpError): string {
  const cause = error.error as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  const message = cause?.cause?.message ?? cause?.message;
  return [code, message].filter((part) => typeof part === 'string' && part !== '').join(' ') || error.message;
}
