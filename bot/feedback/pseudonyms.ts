/**
 * Pseudonyms for what feedback must recognise but not keep: a reader (to
 * let a second tap change their vote), an answer message (to know which
 * answer a vote is on), a prompt (to match the name sent in reply). Each is
 * an HMAC of the id under a salt kept beside the index (FEEDBACK_SALT, or
 * one made on first use), so the stored feedback holds no Telegram ids.
 */
import crypto from 'node:crypto';

export class Pseudonyms {
  constructor(private readonly salt: string) {}

  private of(...parts: (string | number)[]): string {
    return crypto.createHmac('sha256', this.salt).update(parts.join(':')).digest('hex').slice(0, 32);
  }

  user(userId: number | string): string {
    return this.of('user', userId);
  }

  /** A message in a chat: an answer voted on, or a prompt replied to. */
  message(chatId: number, messageId: number): string {
    return this.of('message', chatId, messageId);
  }

  /** A message sent through inline mode (Telegram names it by an id of its own; its chat is not known). */
  inlineMessage(inlineMessageId: string): string {
    return this.of('inline', inlineMessageId);
  }

  /** An answer of a console session. */
  consoleAnswer(session: string, answer: number): string {
    return this.of('console', session, answer);
  }
}
