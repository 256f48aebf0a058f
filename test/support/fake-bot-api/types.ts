/** The public types of the fake Bot API, and the bot it pretends to serve. */
import type { MessageEntity, User, UserFromGetMe } from 'grammy/types';

export type Params = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  params: Params;
  at: number;
}

export interface Rejection {
  method: string;
  params: unknown;
  errorCode: number;
  description: string;
  at: number;
}

/**
 * A fault for one call: an error answer (429 with retry_after, 500, 502), the
 * HTML page a proxy sends for 502, the connection dropped before the call is
 * handled or after it took effect (the bot cannot tell which), or a late answer.
 */
export type InjectedError =
  | { code: 429; retryAfter: number }
  | { code: 500 | 502 }
  | { code: 'html502' }
  | { drop: 'before' | 'after' }
  | { delayMs: number };

export interface InjectedFailure extends RecordedCall {
  error: InjectedError;
}

export interface FakeBotApiOptions {
  /** Token the bot must use; anything else is answered with 401. */
  token?: string;
  /** Port on 127.0.0.1 to listen on (default: any free one), e.g. one a bot was already told to use. */
  port?: number;
  /**
   * Telegram keeps an `&` that does not start a known entity as a literal
   * character; the documentation says it must be escaped. `true` (default)
   * rejects it, which is stricter than Telegram but catches unescaped text.
   */
  strictHtmlEntities?: boolean;
  /**
   * Telegram's per-bot limit on sent messages (about 30 a second): more in any
   * second are answered 429 with retry_after 1. Unset: no limit.
   */
  messagesPerSecond?: number;
  /**
   * Telegram's limit of each chat (about one message a second in a private chat, 20 a minute in a group): more
   * messages to one chat within `seconds` are answered 429 with the retry_after until the window has room, and
   * only that chat is refused. Unset: no limit per chat.
   */
  chatLimit?: ChatLimit;
}

export interface ChatLimit {
  messages: number;
  seconds: number;
}

export type ChatType = 'private' | 'group' | 'supergroup';

export interface SenderOptions {
  /** Unix seconds the message was sent at (default now): lets a test send fast while users type at their own pace. */
  date?: number;
  chatId?: number;
  chatType?: ChatType;
  userId?: number;
  languageCode?: string;
}

export interface TextOptions extends SenderOptions {
  /** Make the message a reply to the bot's latest message in the chat. */
  replyToBot?: boolean;
  /** Use these entities instead of the detected bot_command/mention ones. */
  entities?: MessageEntity[];
}

export interface ButtonOptions {
  userId?: number;
  languageCode?: string;
  /** Press even if the message's current keyboard has no such button (a stale keyboard). */
  allowMissingButton?: boolean;
}

export interface MediaOptions extends SenderOptions {
  caption?: string;
  /** Bytes served for the file via getFile + GET /file/bot{token}/{file_path}. */
  data?: Uint8Array;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Only consider calls at or after this index of `calls` (e.g. `fake.calls.length` taken earlier). */
  since?: number;
}

export const DEFAULT_TOKEN = '123456:TEST';

export const BOT_INFO: UserFromGetMe = {
  id: 123456,
  is_bot: true,
  first_name: 'Fake',
  username: 'fake_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

export const BOT_USER: User = { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name, username: BOT_INFO.username };

/** A file part of a multipart request. */
export interface UploadedFile {
  filename: string;
  size: number;
  data: Buffer;
}
