/** Telegram's per-bot limit on sent messages (about 30 a second): more in any second are answered 429 with retry_after 1. */
import { ApiError } from './errors.js';

export const TOO_MANY_REQUESTS = new ApiError(429, 'Too Many Requests: retry after 1', { retry_after: 1 });

export class SendLimit {
  /** Calls answered 429 because of the limit. */
  throttled = 0;
  /** When the messages of the last second were sent. */
  private readonly recentSends: number[] = [];

  /** Infinity: no limit. */
  constructor(private readonly messagesPerSecond: number) {}

  /** Counts a sending call; true when it is over the limit and must be refused. */
  refuses(): boolean {
    if (this.messagesPerSecond === Infinity) return false;
    const now = Date.now();
    while (this.recentSends.length > 0 && this.recentSends[0]! <= now - 1000) this.recentSends.shift();
    if (this.recentSends.length >= this.messagesPerSecond) {
      this.throttled++;
      return true;
    }
    this.recentSends.push(now);
    return false;
  }
}
