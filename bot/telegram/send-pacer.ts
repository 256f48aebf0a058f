/**
 * Telegram's per-bot limit on messages (about 30 a second): sending calls wait
 * their turn here instead of running into 429 all at once and retrying in a
 * herd. A 429 pauses every sender for its retry_after, as Telegram asks.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Methods that count against the limit. */
export const isSendingMethod = (method: string) => /^(send|copy|forward)/.test(method) && method !== 'sendChatAction';

export class SendPacer {
  private readonly starts: number[] = [];
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly perSecond: number) {}

  /** Resolves when a message may be sent; callers are served in order. */
  turn(): Promise<void> {
    const mine = this.queue.then(() => this.waitForRoom());
    this.queue = mine;
    return mine;
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  private async waitForRoom(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - 1000) this.starts.shift();
      const full = this.starts.length >= this.perSecond ? this.starts[0]! + 1000 : 0;
      const until = Math.max(this.pausedUntil, full);
      if (until <= now) {
        this.starts.push(now);
        return;
      }
      await sleep(until - now);
    }
  }
}
