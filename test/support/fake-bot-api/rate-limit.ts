/**
 * Telegram's limits on sent messages: per bot (about 30 a second: more in any
 * second are answered 429 with retry_after 1) and, when a test asks for it,
 * per chat (more within the window are answered 429 until it has room).
 */
import type { ChatLimit } from './types.js';

export interface Refusal {
  retryAfter: number;
  /** Refused by the chat's limit, not the bot's. */
  perChat: boolean;
}

export class SendLimits {
  /** Calls refused by either limit. */
  throttled = 0;
  /** When the messages of the last second were sent. */
  private readonly recentSends: number[] = [];
  /** When each chat's messages of the last `chatLimit.seconds` were sent. */
  private readonly recentChatSends = new Map<string, number[]>();

  /** `messagesPerSecond` Infinity: no limit per bot; `chatLimit` undefined: none per chat (a test may change it at any time). */
  constructor(
    private readonly messagesPerSecond: number,
    public chatLimit: ChatLimit | undefined,
  ) {}

  /** Counts a sending call to `chatId`; a refusal when a limit is reached. */
  refusal(chatId: unknown): Refusal | null {
    const chatWait = this.overChatLimit(chatId);
    if (chatWait > 0) {
      this.throttled++;
      return { retryAfter: chatWait, perChat: true };
    }
    if (this.overSendLimit()) {
      this.throttled++;
      return { retryAfter: 1, perChat: false };
    }
    this.recentChatSends.get(String(chatId))?.push(Date.now());
    return null;
  }

  /** Seconds until the chat may have another message (0: it may now). */
  private overChatLimit(chatId: unknown): number {
    if (!this.chatLimit || chatId === undefined) return 0;
    const key = String(chatId);
    const windowMs = this.chatLimit.seconds * 1000;
    const now = Date.now();
    const sends = (this.recentChatSends.get(key) ?? []).filter((at) => at > now - windowMs);
    this.recentChatSends.set(key, sends);
    return sends.length >= this.chatLimit.messages ? Math.max(1, Math.ceil((sends[0]! + windowMs - now) / 1000)) : 0;
  }

  private overSendLimit(): boolean {
    if (this.messagesPerSecond === Infinity) return false;
    const now = Date.now();
    while (this.recentSends.length > 0 && this.recentSends[0]! <= now - 1000) this.recentSends.shift();
    if (this.recentSends.length >= this.messagesPerSecond) return true;
    this.recentSends.push(now);
    return false;
  }
}
