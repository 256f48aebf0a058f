/**
 * The updates waiting for the bot, delivered by getUpdates (long polling,
 * confirmed by offset, filtered by allowed_updates) unless a webhook is set.
 */
import type { Update } from 'grammy/types';
import { ApiError, badRequest, TerminatedPoll } from './errors.js';
import type { Params } from './types.js';
import { asJson, asNumber, asString } from './validation.js';

interface PendingPoll {
  limit: number;
  timer: NodeJS.Timeout;
  settle: (result: { updates: Update[] } | { error: ApiError }) => void;
}

const DEFAULT_ALLOWED_UPDATES = (type: string) =>
  !['chat_member', 'message_reaction', 'message_reaction_count'].includes(type);

function updateType(update: Update): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? '';
}

export class UpdateQueue {
  /** Every update ever pushed, including confirmed ones. */
  readonly all: Update[] = [];
  /** Updates Telegram would not have delivered because of the bot's allowed_updates. */
  readonly dropped: Update[] = [];
  private queue: Update[] = [];
  private readonly polls = new Set<PendingPoll>();
  private allowedUpdates: (type: string) => boolean = DEFAULT_ALLOWED_UPDATES;
  private webhookUrl = '';
  private nextUpdateId = 10_000;
  private closed = false;

  /** `remember` learns of each update when it is queued (the chats and messages it holds). */
  constructor(private readonly remember: (update: Update) => void) {}

  /** Queues an update and returns it with its update_id. */
  push(update: Omit<Update, 'update_id'>): Update {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    this.remember(full);
    this.all.push(full);
    this.queue.push(full);
    this.flushPolls();
    return full;
  }

  /** Answers pending long polls with `[]` (so the bot can stop); later polls return at once. */
  close(): void {
    this.closed = true;
    for (const poll of this.polls) poll.settle({ updates: [] });
  }

  getUpdates(p: Params, signal: AbortSignal): Update[] | Promise<Update[]> {
    if (this.webhookUrl) {
      const description = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
      throw new ApiError(409, description);
    }
    this.confirmUpdates(asNumber(p['offset']) ?? 0);
    const allowed = asJson(p['allowed_updates'], "can't parse allowed_updates");
    if (Array.isArray(allowed)) {
      const types = new Set(allowed.map(String));
      this.allowedUpdates = types.size > 0 ? (t) => types.has(t) : DEFAULT_ALLOWED_UPDATES;
    }
    const limit = Math.min(Math.max(asNumber(p['limit']) ?? 100, 1), 100);
    const timeout = Math.max(asNumber(p['timeout']) ?? 0, 0);

    // Telegram ends an older long poll when a newer one arrives.
    for (const poll of this.polls) {
      poll.settle({ error: new TerminatedPoll() });
    }
    const ready = this.deliverable(limit);
    if (ready.length > 0 || timeout === 0 || this.closed) return ready;
    return this.longPoll(limit, timeout, signal);
  }

  webhookInfo() {
    return { url: this.webhookUrl, has_custom_certificate: false, pending_update_count: this.queue.length };
  }

  setWebhook(p: Params) {
    const url = asString(p['url']) ?? '';
    if (url !== '' && !/^https:\/\//i.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    this.webhookUrl = url;
    if (p['drop_pending_updates'] === true || p['drop_pending_updates'] === 'true') this.queue = [];
    return true;
  }

  deleteWebhook(p: Params) {
    this.webhookUrl = '';
    if (p['drop_pending_updates'] === true || p['drop_pending_updates'] === 'true') this.queue = [];
    return true;
  }

  private longPoll(limit: number, timeoutSeconds: number, signal: AbortSignal): Promise<Update[]> {
    return new Promise((resolve, reject) => {
      const poll: PendingPoll = {
        limit,
        timer: setTimeout(() => poll.settle({ updates: [] }), timeoutSeconds * 1000),
        settle: (result) => {
          clearTimeout(poll.timer);
          this.polls.delete(poll);
          if ('error' in result) reject(result.error);
          else resolve(result.updates);
        },
      };
      this.polls.add(poll);
      signal.addEventListener('abort', () => poll.settle({ updates: [] }), { once: true });
    });
  }

  /** Drops updates below `offset`; a negative offset keeps only the last -offset updates. */
  private confirmUpdates(offset: number) {
    if (offset < 0) this.queue = this.queue.slice(offset);
    else if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
  }

  private deliverable(limit: number): Update[] {
    const dropped = this.queue.filter((u) => !this.allowedUpdates(updateType(u)));
    if (dropped.length > 0) {
      this.dropped.push(...dropped);
      this.queue = this.queue.filter((u) => !dropped.includes(u));
    }
    return this.queue.slice(0, limit);
  }

  private flushPolls() {
    for (const poll of this.polls) {
      const ready = this.deliverable(poll.limit);
      if (ready.length > 0) poll.settle({ updates: ready });
    }
  }
}
