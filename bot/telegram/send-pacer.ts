/**
 * Telegram's limits on messages: about 30 a second for the bot, and limits of
 * each chat (about one a second in a private chat, 20 a minute in a group).
 * Sending calls wait their turn here instead of running into 429 all at once
 * and retrying in a herd.
 *
 * Telegram's 429 does not say which limit was hit. One chat's limit is hit by
 * that chat alone, the bot's limit by every chat at once. So a 429 pauses only
 * its chat; a 429 for a second chat within a second of another chat's means
 * the bot's limit, and pauses everyone. A call without a chat (an inline
 * answer) pauses everyone too.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Methods that count against the limit. */
export const isSendingMethod = (method: string) => /^(send|copy|forward)/.test(method) && method !== 'sendChatAction';

/** Two chats' 429s this close together are the bot's limit, not each chat's own. */
const SAME_LIMIT_WINDOW_MS = 1_000;

export class SendPacer {
  private readonly starts: number[] = [];
  private pausedUntil = 0;
  private readonly chatPausedUntil = new Map<string, number>();
  private lastChatLimit: { chat: string; at: number } | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly perSecond: number) {}

  /**
   * Resolves when a message to `chat` may be sent; callers are served in order. A paused chat waits on its own,
   * before it joins the line, so that it holds up no other chat.
   */
  async turn(chat?: string): Promise<void> {
    for (let until = this.chatPause(chat); until > Date.now(); until = this.chatPause(chat)) await sleep(until - Date.now());
    const mine = this.queue.then(() => this.waitForRoom());
    this.queue = mine;
    return mine;
  }

  /** Telegram answered a call for `chat` (undefined: a call for no chat) with 429 and this retry_after. */
  tooManyRequests(chat: string | undefined, ms: number): void {
    const now = Date.now();
    const other = this.lastChatLimit;
    const botLimit = chat === undefined || (other !== null && other.chat !== chat && now - other.at < SAME_LIMIT_WINDOW_MS);
    if (chat !== undefined) this.lastChatLimit = { chat, at: now };
    if (botLimit) this.pausedUntil = Math.max(this.pausedUntil, now + ms);
    else this.chatPausedUntil.set(chat, Math.max(this.chatPause(chat), now + ms));
    for (const [key, until] of this.chatPausedUntil) if (until <= now) this.chatPausedUntil.delete(key);
  }

  private chatPause(chat: string | undefined): number {
    return chat === undefined ? 0 : (this.chatPausedUntil.get(chat) ?? 0);
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
