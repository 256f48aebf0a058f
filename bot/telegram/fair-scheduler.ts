/**
 * A global limit on concurrent searches, shared fairly between users.
 *
 * Each job gets a start tag: the time the user sent it (the message date), but
 * never earlier than `paceSeconds` after that user's previous tag. The waiting
 * job with the smallest tag runs next. A person asking at human speed keeps
 * tags equal to their message dates, also when an outage delivers their
 * questions all at once; someone who sends hundreds at once gets tags spread
 * out at one per `paceSeconds`, so everyone else goes first.
 */
interface Waiting {
  tag: number;
  order: number;
  start: () => void;
}

export class FairScheduler {
  private running = 0;
  private order = 0;
  private readonly waiting: Waiting[] = [];
  private readonly lastTag = new Map<string, number>();

  constructor(
    private readonly concurrency: number,
    private readonly paceSeconds: number,
  ) {}

  /** Jobs waiting for a slot. */
  get depth(): number {
    return this.waiting.length;
  }

  /** Runs `job` for `user` once a slot is free and no job with an earlier tag waits. `sentAt` is in seconds. */
  async run<T>(user: string, sentAt: number, job: () => Promise<T>): Promise<T> {
    const tag = Math.max(sentAt, (this.lastTag.get(user) ?? -Infinity) + this.paceSeconds);
    this.lastTag.set(user, tag);
    await new Promise<void>((start) => {
      const waiting = { tag, order: this.order++, start };
      const at = this.waiting.findIndex((w) => w.tag > tag);
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, waiting);
      this.startWaiting();
    });
    // A search holds the main thread. Without this turn of the event loop the next one would start at once, and
    // replies Telegram has already taken would wait, unmarked in the inbox and unlogged, behind every queued search.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      return await job();
    } finally {
      this.running--;
      this.forget(user, tag);
      this.startWaiting();
    }
  }

  private startWaiting() {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      this.running++;
      this.waiting.shift()!.start();
    }
  }

  /** A user's tag is only needed while it is ahead of the clock (so memory stays bounded by active users). */
  private forget(user: string, tag: number) {
    if (this.lastTag.get(user) === tag && tag + this.paceSeconds < Date.now() / 1000) this.lastTag.delete(user);
  }
}
