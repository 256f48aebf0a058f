/** Counts updates being handled, so that shutdown can wait for them before closing the index. */
import type { MiddlewareFn } from 'grammy';

export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  readonly middleware: MiddlewareFn = async (_ctx, next) => {
    this.count++;
    try {
      await next();
    } finally {
      this.count--;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  };

  /** Updates being handled now. */
  get size(): number {
    return this.count;
  }

  /** Resolves with true when no update is being handled, or with false after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
