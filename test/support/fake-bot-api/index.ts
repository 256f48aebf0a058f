/**
 * The fake Telegram Bot API for tests, one module per concern: server.ts (the
 * HTTP server and what tests do with it), chats.ts (state of chats and
 * messages), updates.ts (getUpdates and webhooks), methods.ts (the methods
 * and their validation, with validation.ts and html.ts), faults.ts (injected
 * failures), rate-limit.ts (the per-bot message limit), http.ts (bodies and
 * answers), users.ts (the users' side).
 */
export { FakeBotApi } from './server.js';
export { HtmlParseError, parseTelegramHtml, type ParsedText } from './html.js';
export {
  BOT_INFO, DEFAULT_TOKEN, type ButtonOptions, type ChatLimit, type ChatType, type FakeBotApiOptions, type InjectedError, type InjectedFailure,
  type MediaOptions, type Params, type RecordedCall, type Rejection, type SenderOptions, type TextOptions, type UploadedFile,
  type WaitOptions,
} from './types.js';
