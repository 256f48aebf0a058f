/**
 * Answers the updates in the inbox: those this process stored (`take`), and
 * those it claims: at start what an earlier process left, oldest first, then
 * now and then what a replica that died had claimed. Each is handed to the
 * bot at once, the way @grammyjs/runner's sink does (the bot's own admission
 * keeps each chat's order, the fair scheduler and QUEUE_PER_CHAT), then marked
 * done once handled: answered, refused with a notice, or failed with the
 * apology (bot.ts), each logged with its update id.
 *
 * An update claimed MAX_ATTEMPTS times without being done ended the process
 * each time it was handled: it is logged and set aside (its user gets the
 * apology) instead of ending the next start too.
 */
import type { Update } from 'grammy/types';
import type { Logger } from '../telegram/log.js';

export interface UpdateHandlers {
  /** Handles an update (answers it, or apologises), resolving when done. */
  handle: (update: Update) => Promise<void>;
  /** Tells the user of an update set aside that it failed, without handling it. */
  setAside: (update: Update) => Promise<void>;
}
import { KEEP_DONE_MS, type Inbox, type InboxEntry } from './inbox.js';

/** Claiming stops while this process handles this many (the runner's sink allows 500); the rest wait in the inbox. */
const MAX_HANDLING = 500;
/** Updates claimed per query. */
const CLAIM_BATCH = 100;
/** How often the worker looks for updates left unclaimed: released by a replica that stopped, or whose replica died. */
const CLAIM_EVERY_MS = 2_000;
/** How often done updates past KEEP_DONE_MS are deleted. */
const PRUNE_EVERY_MS = 60 * 60 * 1000;
const MAX_ATTEMPTS = 5;

export class InboxWorker {
  private readonly handling = new Set<number>();
  private readonly stopping = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private loop: Promise<void> = Promise.resolve();
  private lastPrune = 0;

  constructor(
    private readonly inbox: Inbox,
    private readonly handlers: UpdateHandlers,
    private readonly logger: Logger,
  ) {}

  /** Claims and hands out what earlier processes left, oldest first, then goes on claiming in the background. */
  async start(): Promise<void> {
    while (await this.claimBatch());
    this.loop = this.run();
  }

  /** Handles updates this process has just stored (and claimed). */
  take(entries: readonly InboxEntry[]): void {
    for (const entry of entries) this.dispatch(entry);
  }

  /** Updates being handled now. */
  get size(): number {
    return this.handling.size;
  }

  /**
   * Stops claiming and waits for the updates being handled, at most `timeoutMs`; true if all finished. What is left
   * stays not done and its claims are released: the next start, or another replica, answers it.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping.abort();
    await this.loop;
    const finished = this.handling.size === 0 || (await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => (clearTimeout(timer), resolve(true)));
    }));
    await this.inbox.release().catch((error: unknown) => this.logger.warn({ error: String(error) }, 'inbox: could not release unfinished updates'));
    return finished;
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await this.pruneNowAndThen();
      // A full batch means more may be waiting: claim again at once.
      if (!(await this.claimBatch())) await this.pause(CLAIM_EVERY_MS);
    }
  }

  /** Claims as many as there is room for, at most a batch, and hands them out; true if a full batch came. */
  private async claimBatch(): Promise<boolean> {
    const room = Math.min(MAX_HANDLING - this.handling.size, CLAIM_BATCH);
    if (room <= 0) return false;
    try {
      const claimed = await this.inbox.claim(room);
      this.take(claimed);
      return claimed.length === room;
    } catch (error) {
      this.logger.error({ error: String(error) }, `inbox: could not claim updates from ${this.inbox.location}; trying again`);
      return false;
    }
  }

  private pause(ms: number): Promise<void> {
    const { signal } = this.stopping;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(() => (signal.removeEventListener('abort', done), resolve()), ms);
      const done = () => (clearTimeout(timer), resolve());
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private dispatch({ update, attempts }: InboxEntry): void {
    const id = update.update_id;
    this.handling.add(id);
    void (async () => {
      try {
        if (attempts > MAX_ATTEMPTS) {
          this.logger.error({ update: id, attempts }, 'inbox: set aside an update whose handling ended the process every time');
          await this.handlers.setAside(update);
        } else {
          await this.handlers.handle(update);
        }
      } catch (error) {
        // bot.ts's handleUpdate hands every error of the bot to its error handler; this is one outside the bot.
        this.logger.error({ update: id, error: String(error) }, 'inbox: handling the update failed');
      }
      try {
        await this.inbox.done(id);
      } catch (error) {
        this.logger.error({ update: id, error: String(error) }, 'inbox: could not mark the update done; it may be answered again');
      }
      this.handling.delete(id);
      if (this.handling.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    })();
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    try {
      const pruned = await this.inbox.prune(new Date(Date.now() - KEEP_DONE_MS));
      if (pruned > 0) this.logger.info({ pruned }, 'inbox: deleted updates done over a day ago');
    } catch (error) {
      this.logger.warn({ error: String(error) }, 'inbox: could not delete old updates');
    }
  }
}
