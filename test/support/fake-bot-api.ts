/**
 * A fake Telegram Bot API server for end-to-end tests.
 *
 * It speaks the wire protocol grammY uses (`POST {apiRoot}/bot{token}/{method}`
 * with a JSON or multipart body), answers the common methods with realistic
 * objects, and validates requests the way Telegram does, so that a reply that
 * Telegram would reject fails the test instead of passing silently.
 *
 * Where Telegram's own error text is known (from TDLib / telegram-bot-api) it is
 * reproduced verbatim. A few checks are deliberately STRICTER than Telegram and
 * use descriptions invented here; they are marked "stricter than Telegram".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageEntity, Message, Update, User, UserFromGetMe } from 'grammy/types';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

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
  chatLimit?: { messages: number; seconds: number };
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

const BOT_USER: User = { id: BOT_INFO.id, is_bot: true, first_name: BOT_INFO.first_name, username: BOT_INFO.username };

const DEFAULT_USER_ID = 1001;
const DEFAULT_GROUP_ID = -4001;
const DEFAULT_SUPERGROUP_ID = -1001000000001;

// Telegram's limits
const MAX_TEXT_LENGTH = 4096;
const MAX_CAPTION_LENGTH = 1024;
const MAX_CALLBACK_DATA_BYTES = 64;
const MAX_CALLBACK_ANSWER_LENGTH = 200;
const MAX_INLINE_RESULTS = 50;
const MAX_INLINE_RESULT_ID_BYTES = 64;
const MAX_KEYBOARD_BUTTONS = 100;
const MAX_COMMANDS = 100;

// Telegram's descriptions
const QUERY_ID_INVALID = 'query is too old and response timeout expired or query ID is invalid';
const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same ' +
  'as a current content and reply markup of the message';

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** An error answered to the bot as `{ok: false, error_code, description}`. */
class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

/**
 * Telegram's answer to a long poll superseded by a newer getUpdates. Not recorded
 * as a rejection: grammY's bot.stop() aborts its poll and immediately polls again,
 * so the old poll may still be pending here although nobody waits for it.
 */
class TerminatedPoll extends ApiError {
  constructor() {
    super(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
  }
}

/** A TDLib HTML parse error; the Bot API prefixes it with "can't parse entities: ". */
export class HtmlParseError extends Error {}

// ---------------------------------------------------------------------------
// HTML parse mode (a port of TDLib's parse_html, working on UTF-8 bytes so the
// reported byte offsets match Telegram's)
// ---------------------------------------------------------------------------

export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

const SUPPORTED_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins',
  'tg-spoiler', 'tg-emoji', 'tg-time', 'span', 'pre', 'code', 'blockquote',
]);
const NAMED_ENTITIES: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
const SIMPLE_ENTITY_TYPES: Record<string, MessageEntity['type']> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler', span: 'spoiler',
};

const ch = (s: string) => s.charCodeAt(0);
const [LT, GT, AMP, SLASH, EQ, HASH, DQUOTE, SQUOTE, DOT, DASH, SEMI] = [...'<>&/=#"\'.-;'].map(ch);
// TDLib's is_space also treats the terminating NUL as a space.
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const isAlnum = (c: number) => isDigit(c) || isAlpha(c);
const isHexDigit = (c: number) => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
const hexValue = (c: number) => (isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10);
const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

interface OpenTag {
  tag: string;
  attributes: Record<string, string>;
  utf16Offset: number;
  resultStart: number;
}

class HtmlParser {
  private readonly bytes: Buffer;
  private readonly out: number[] = [];
  private readonly open: OpenTag[] = [];
  private readonly entities: MessageEntity[] = [];
  /** Languages of `<code class="language-x">` that an enclosing `<pre>` may still claim. */
  private readonly codeLanguages = new Map<MessageEntity, string>();
  private utf16 = 0;
  private i = 0;

  constructor(html: string, private readonly strictEntities: boolean) {
    this.bytes = Buffer.from(html, 'utf8');
  }

  parse(): ParsedText {
    for (; this.i < this.bytes.length; this.i++) {
      const c = this.bytes[this.i]!;
      if (c === AMP && this.tryDecodeEntity()) continue;
      if (c !== LT) {
        this.pushByte(c);
        continue;
      }
      if (this.at(this.i + 1) === SLASH) this.closeTag();
      else this.openTag();
    }
    const unclosed = this.open.at(-1);
    if (unclosed) throw new HtmlParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
    return { text: Buffer.from(this.out).toString('utf8'), entities: sortEntities(this.entities) };
  }

  /** The byte at `pos`, or 0 past the end (TDLib reads a NUL-terminated string). */
  private at(pos: number): number {
    return pos < this.bytes.length ? this.bytes[pos]! : 0;
  }

  private slice(from: number, to: number): string {
    return this.bytes.subarray(from, to).toString('utf8');
  }

  private pushByte(c: number) {
    this.out.push(c);
    if ((c & 0xc0) !== 0x80) this.utf16 += c >= 0xf0 ? 2 : 1; // a 4-byte sequence is a surrogate pair
  }

  private tryDecodeEntity(): boolean {
    const decoded = decodeHtmlEntity(this.bytes, this.i, (p) => this.at(p));
    if (!decoded) {
      if (this.strictEntities) throw this.unsupportedEntity();
      return false;
    }
    if (decoded.code >= 0xd800 && decoded.code <= 0xdfff) {
      throw new HtmlParseError(
        'Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units',
      );
    }
    this.out.push(...Buffer.from(String.fromCodePoint(decoded.code), 'utf8'));
    this.utf16 += decoded.code > 0xffff ? 2 : 1;
    this.i = decoded.next - 1;
    return true;
  }

  /** Stricter than Telegram, which would keep the `&` literally. */
  private unsupportedEntity(): HtmlParseError {
    let end = this.i + 1;
    if (this.at(end) === HASH) end++;
    while (isAlnum(this.at(end))) end++;
    if (this.at(end) === SEMI) end++;
    return new HtmlParseError(`Unsupported HTML entity "${this.slice(this.i, end)}" at byte offset ${this.i}`);
  }

  private openTag() {
    const begin = this.i++;
    while (!isSpace(this.at(this.i)) && this.at(this.i) !== GT) this.i++;
    if (this.at(this.i) === 0) throw new HtmlParseError(`Unclosed start tag at byte offset ${begin}`);
    const tag = asciiLower(this.slice(begin + 1, this.i));
    if (!SUPPORTED_TAGS.has(tag)) throw new HtmlParseError(`Unsupported start tag "${tag}" at byte offset ${begin}`);

    const attributes = this.readAttributes(tag, begin);
    if (tag === 'span' && attributes['class'] !== 'tg-spoiler') {
      throw new HtmlParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${begin}`);
    }
    if (tag === 'blockquote' && this.open.some((o) => o.tag === 'blockquote')) {
      // Stricter than Telegram: the docs say blockquotes can't be nested.
      throw new HtmlParseError(`Nested blockquote at byte offset ${begin}`);
    }
    this.open.push({ tag, attributes, utf16Offset: this.utf16, resultStart: this.out.length });
  }

  /** Reads attributes up to the closing `>`, leaving `i` on it. */
  private readAttributes(tag: string, begin: number): Record<string, string> {
    const attributes: Record<string, string> = {};
    while (this.at(this.i) !== GT) {
      while (this.at(this.i) !== 0 && isSpace(this.at(this.i))) this.i++;
      if (this.at(this.i) === GT) break;
      const nameBegin = this.i;
      while (!isSpace(this.at(this.i)) && this.at(this.i) !== EQ && this.at(this.i) !== GT) this.i++;
      const name = this.slice(nameBegin, this.i);
      if (name === '') throw new HtmlParseError(`Empty attribute name in the tag "${tag}" at byte offset ${begin}`);
      while (this.at(this.i) !== 0 && isSpace(this.at(this.i))) this.i++;
      if (this.at(this.i) !== EQ) {
        if (tag === 'blockquote' && name === 'expandable') {
          attributes[name] = '';
          continue;
        }
        throw new HtmlParseError(
          `Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${begin}`,
        );
      }
      this.i++;
      while (this.at(this.i) !== 0 && isSpace(this.at(this.i))) this.i++;
      if (this.at(this.i) === 0) throw new HtmlParseError(`Unclosed start tag "${tag}" at byte offset ${begin}`);
      attributes[name] = this.readAttributeValue();
      if (this.at(this.i) === 0) throw new HtmlParseError(`Unclosed start tag at byte offset ${begin}`);
    }
    return attributes;
  }

  private readAttributeValue(): string {
    const quote = this.at(this.i);
    if (quote !== DQUOTE && quote !== SQUOTE) {
      // An unquoted name token: letters, digits, periods and hyphens, case-insensitive.
      const tokenBegin = this.i;
      while (isAlnum(this.at(this.i)) || this.at(this.i) === DOT || this.at(this.i) === DASH) this.i++;
      if (!isSpace(this.at(this.i)) && this.at(this.i) !== GT) {
        throw new HtmlParseError(`Unexpected end of name token at byte offset ${tokenBegin}`);
      }
      return asciiLower(this.slice(tokenBegin, this.i));
    }
    this.i++;
    const value: number[] = [];
    while (this.at(this.i) !== quote && this.at(this.i) !== 0) {
      const decoded = this.at(this.i) === AMP ? decodeHtmlEntity(this.bytes, this.i, (p) => this.at(p)) : undefined;
      if (decoded) {
        value.push(...Buffer.from(String.fromCodePoint(decoded.code), 'utf8'));
        this.i = decoded.next;
      } else {
        value.push(this.at(this.i++));
      }
    }
    if (this.at(this.i) === quote) this.i++;
    return Buffer.from(value).toString('utf8');
  }

  private closeTag() {
    const begin = this.i;
    this.i += 2;
    const top = this.open.at(-1);
    if (!top) throw new HtmlParseError(`Unexpected end tag at byte offset ${begin}`);
    while (!isSpace(this.at(this.i)) && this.at(this.i) !== GT) this.i++;
    const endTag = asciiLower(this.slice(begin + 2, this.i));
    while (isSpace(this.at(this.i)) && this.at(this.i) !== 0) this.i++;
    if (this.at(this.i) !== GT) throw new HtmlParseError(`Unclosed end tag at byte offset ${begin}`);
    if (endTag !== '' && endTag !== top.tag) {
      throw new HtmlParseError(
        `Unmatched end tag at byte offset ${begin}, expected "</${top.tag}>", found "</${endTag}>"`,
      );
    }
    if (this.utf16 > top.utf16Offset) this.addEntity(top, this.utf16 - top.utf16Offset);
    this.open.pop();
  }

  private addEntity(tag: OpenTag, length: number) {
    const offset = tag.utf16Offset;
    const simple = SIMPLE_ENTITY_TYPES[tag.tag];
    if (simple) {
      this.entities.push({ type: simple, offset, length } as MessageEntity);
      return;
    }
    switch (tag.tag) {
      case 'a': {
        const url = tag.attributes['href'] || Buffer.from(this.out.slice(tag.resultStart)).toString('utf8');
        this.entities.push({ type: 'text_link', offset, length, url });
        return;
      }
      case 'tg-emoji': {
        const id = tag.attributes['emoji-id'] ?? '';
        if (!/^\d{1,19}$/.test(id) || BigInt(id) === 0n) {
          throw new HtmlParseError('Invalid custom emoji identifier specified');
        }
        this.entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: id });
        return;
      }
      case 'tg-time': {
        const unix = Number(tag.attributes['unix']);
        if (!Number.isInteger(unix)) return;
        const format = (tag.attributes['format'] ?? '') as MessageEntity.DateTimeMessageEntity['date_time_format'];
        this.entities.push({ type: 'date_time', offset, length, unix_time: unix, date_time_format: format });
        return;
      }
      case 'blockquote':
        this.entities.push({ type: 'expandable' in tag.attributes ? 'expandable_blockquote' : 'blockquote', offset, length });
        return;
      case 'pre':
      case 'code':
        this.addCodeEntity(tag, offset, length);
        return;
    }
  }

  /**
   * Like TDLib: `<pre><code class="language-x">` (either nesting order) with the same
   * span becomes one pre entity with a language; a standalone code keeps none.
   */
  private addCodeEntity(tag: OpenTag, offset: number, length: number) {
    const last = this.entities.at(-1);
    const sameSpan = last?.offset === offset && last.length === length;
    if (tag.tag === 'pre') {
      const language = sameSpan && last.type === 'code' ? this.codeLanguages.get(last) : undefined;
      if (language) this.entities[this.entities.length - 1] = { type: 'pre', offset, length, language };
      else this.entities.push({ type: 'pre', offset, length });
      return;
    }
    const language = languageOf(tag.attributes['class']);
    if (sameSpan && last.type === 'pre' && language) {
      last.language = language;
      return;
    }
    const code: MessageEntity = { type: 'code', offset, length };
    if (language) this.codeLanguages.set(code, language);
    this.entities.push(code);
  }
}

const languageOf = (cls: string | undefined) =>
  cls?.startsWith('language-') && cls.length > 'language-'.length ? cls.slice('language-'.length) : undefined;

function decodeHtmlEntity(
  bytes: Buffer,
  pos: number,
  at: (p: number) => number,
): { code: number; next: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (at(end) === HASH) {
    end++;
    const hex = at(end) === ch('x');
    if (hex) end++;
    while (hex ? isHexDigit(at(end)) : isDigit(at(end))) {
      code = code * (hex ? 16 : 10) + hexValue(at(end++));
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    while (isAlpha(at(end))) end++;
    const named = NAMED_ENTITIES[bytes.subarray(pos + 1, end).toString('latin1')];
    if (named === undefined) return undefined;
    code = named;
  }
  return { code, next: at(end) === SEMI ? end + 1 : end };
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Parses Telegram HTML; throws HtmlParseError with TDLib's message. */
export function parseTelegramHtml(html: string, options: { strictEntities?: boolean } = {}): ParsedText {
  return new HtmlParser(html, options.strictEntities ?? true).parse();
}

// ---------------------------------------------------------------------------
// Request validation helpers
// ---------------------------------------------------------------------------

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');
const unixNow = () => Math.floor(Date.now() / 1000);

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Form-encoded and multipart bodies carry numbers as strings. */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** Objects arrive as JSON strings in form-encoded and multipart bodies. */
function asJson(value: unknown, whatFailed: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(whatFailed);
  }
}

interface FormattedText {
  text: string;
  entities?: MessageEntity[];
}

interface TextLimits {
  max: number;
  allowEmpty: boolean;
  tooLong: string;
}

const MESSAGE_TEXT: TextLimits = { max: MAX_TEXT_LENGTH, allowEmpty: false, tooLong: 'message is too long' };
const CAPTION: TextLimits = { max: MAX_CAPTION_LENGTH, allowEmpty: true, tooLong: 'message caption is too long' };

/** Parses `text` with `parse_mode` and checks the resulting length like Telegram. */
function formatText(
  raw: unknown,
  parseMode: unknown,
  limits: TextLimits,
  strictEntities: boolean,
): FormattedText {
  const text = asString(raw) ?? '';
  const parsed = parseWithMode(text, asString(parseMode) ?? '', strictEntities);
  if (!limits.allowEmpty && parsed.text.trim() === '') throw badRequest('message text is empty');
  if (parsed.text.length > limits.max) throw badRequest(limits.tooLong);
  return parsed.entities.length > 0 ? parsed : { text: parsed.text };
}

function parseWithMode(text: string, mode: string, strictEntities: boolean): ParsedText {
  switch (mode.toLowerCase()) {
    case '':
    case 'markdown': // not parsed by the fake: counted as plain text
    case 'markdownv2':
      return { text, entities: [] };
    case 'html':
      try {
        return parseTelegramHtml(text, { strictEntities });
      } catch (error) {
        if (error instanceof HtmlParseError) throw badRequest(`can't parse entities: ${error.message}`);
        throw error;
      }
    default:
      throw badRequest(`unsupported parse_mode`);
  }
}

const INLINE_BUTTON_KINDS = [
  'url', 'login_url', 'callback_data', 'web_app', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay',
] as const;

/** Validates reply_markup; returns the inline keyboard markup to store (undefined when none). */
function validateReplyMarkup(raw: unknown): Params | undefined {
  if (raw === undefined) return undefined;
  const markup = asJson(raw, "can't parse reply keyboard markup JSON object");
  if (typeof markup !== 'object' || markup === null || Array.isArray(markup)) {
    throw badRequest('object expected as reply markup');
  }
  const keyboard = (markup as Params)['inline_keyboard'];
  if (keyboard === undefined) return undefined; // reply keyboards, remove_keyboard, force_reply: not checked
  if (!Array.isArray(keyboard)) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
  }
  let buttons = 0;
  for (const row of keyboard) {
    if (!Array.isArray(row)) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    }
    row.forEach(validateInlineButton);
    buttons += row.length;
  }
  if (buttons > MAX_KEYBOARD_BUTTONS) throw badRequest('reply markup is too long');
  return keyboard.some((row: unknown[]) => row.length > 0) ? (markup as Params) : undefined;
}

function validateInlineButton(button: unknown) {
  if (typeof button !== 'object' || button === null || Array.isArray(button)) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const b = button as Params;
  if (typeof b['text'] !== 'string') throw badRequest(`can't parse inline keyboard button: Can't find field "text"`);
  if (b['text'].trim() === '') throw badRequest('BUTTON_TEXT_INVALID');
  const kinds = INLINE_BUTTON_KINDS.filter((kind) => b[kind] !== undefined && b[kind] !== '');
  if (kinds.length === 0) throw badRequest('text buttons are unallowed in the inline keyboard');
  if (kinds.length > 1) {
    // Stricter than Telegram, which silently uses the first field it knows.
    throw badRequest(`can't parse inline keyboard button: exactly one of ${kinds.join(', ')} must be used`);
  }
  if (kinds[0] === 'callback_data') {
    const bytes = utf8Length(String(b['callback_data']));
    if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
  }
  if (kinds[0] === 'url' && !isValidButtonUrl(String(b['url']))) throw badRequest('BUTTON_URL_INVALID');
}

function isValidButtonUrl(url: string): boolean {
  if (/\s/.test(url)) return false;
  try {
    new URL(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`); // Telegram assumes http:// when missing
    return true;
  } catch {
    return false;
  }
}

/** JSON with sorted keys, so equal markups compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Params).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

// ---------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------

class BodyParseError extends Error {}

export interface UploadedFile {
  filename: string;
  size: number;
  data: Buffer;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseParams(contentType: string | undefined, body: Buffer, query: URLSearchParams): Params {
  const params: Params = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (body.length === 0) return params;
  if (type === 'application/json') return { ...params, ...parseJsonObject(body) };
  if (type === 'application/x-www-form-urlencoded') {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
    if (!boundary) throw new BodyParseError('multipart body without boundary');
    return { ...params, ...parseMultipart(body, boundary[1] ?? boundary[2]!) };
  }
  throw new BodyParseError(`unsupported content-type "${type}"`);
}

function parseJsonObject(body: Buffer): Params {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BodyParseError('invalid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BodyParseError('JSON body is not an object');
  }
  return value as Params;
}

/** Text fields become strings, file parts become UploadedFile. */
function parseMultipart(body: Buffer, boundary: string): Params {
  const params: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  if (body.indexOf(delimiter) !== 0) throw new BodyParseError('multipart body does not start with the boundary');
  let pos = delimiter.length;
  while (body.subarray(pos, pos + 2).toString() !== '--') {
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new BodyParseError('malformed multipart boundary');
    const end = body.indexOf(separator, pos + 2);
    if (end < 0) throw new BodyParseError('unterminated multipart body');
    const [name, value] = parsePart(body.subarray(pos + 2, end));
    params[name] = value;
    pos = end + separator.length;
  }
  return params;
}

function parsePart(part: Buffer): [string, string | UploadedFile] {
  const headerEnd = part.indexOf('\r\n\r\n');
  if (headerEnd < 0) throw new BodyParseError('multipart part without headers');
  const headers = part.subarray(0, headerEnd).toString('utf8');
  const data = part.subarray(headerEnd + 4);
  const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
  const name = /(?:^|;)\s*name="([^"]*)"/.exec(disposition)?.[1];
  if (name === undefined) throw new BodyParseError('multipart part without a name');
  // grammY sends the filename unquoted: `filename=voice.ogg`.
  const filename = /;\s*filename=(?:"([^"]*)"|([^;\r\n]*))/.exec(disposition);
  if (!filename) return [name, data.toString('utf8')];
  return [name, { filename: (filename[1] ?? filename[2] ?? '').trim(), size: data.length, data }];
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

type Handler = (params: Params, signal: AbortSignal) => unknown;

interface PendingPoll {
  limit: number;
  timer: NodeJS.Timeout;
  settle: (result: { updates: Update[] } | { error: ApiError }) => void;
}

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  data?: Uint8Array;
}

type ChatInfo = Message['chat'];
type IncomingMsg = NonNullable<Update['message']>;

const DEFAULT_ALLOWED_UPDATES = (type: string) =>
  !['chat_member', 'message_reaction', 'message_reaction_count'].includes(type);

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice',
  'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

const MEDIA_METHODS: Record<string, string> = {
  sendphoto: 'photo', sendaudio: 'audio', senddocument: 'document', sendvideo: 'video',
  sendanimation: 'animation', sendvoice: 'voice', sendvideonote: 'video_note', sendsticker: 'sticker',
};

export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  readonly rejections: Rejection[] = [];
  readonly injectedFailures: InjectedFailure[] = [];
  /** Every update ever pushed, including confirmed ones. */
  readonly updates: Update[] = [];
  /** Updates Telegram would not have delivered because of the bot's allowed_updates. */
  readonly droppedUpdates: Update[] = [];

  private readonly token: string;
  private readonly strictHtmlEntities: boolean;
  private readonly messagesPerSecond: number;
  /** When the messages of the last second were sent, for `messagesPerSecond`. */
  private readonly recentSends: number[] = [];
  /** Telegram's limit of each chat (see FakeBotApiOptions); a test may set or clear it at any time. */
  chatLimit: { messages: number; seconds: number } | undefined;
  /** When each chat's messages of the last `chatLimit.seconds` were sent. */
  private readonly recentChatSends = new Map<string, number[]>();
  /** Calls answered 429 because of `messagesPerSecond` or `chatLimit`. */
  throttled = 0;
  /** The calls answered 429 because of `chatLimit`, with the retry_after they were given. */
  readonly chatThrottled: (RecordedCall & { retryAfter: number })[] = [];
  private readonly handlers: Record<string, Handler>;
  private readonly failures = new Map<string, (InjectedError | 'pass')[]>();
  private readonly callListeners = new Set<() => void>();
  private readonly inFlight = new Set<ServerResponse>();

  private queue: Update[] = [];
  private readonly polls = new Set<PendingPoll>();
  private allowedUpdates: (type: string) => boolean = DEFAULT_ALLOWED_UPDATES;
  private webhookUrl = '';
  private nextUpdateId = 10_000;
  private nextQueryId = 1;
  private nextFileId = 1;
  private closed = false;

  private readonly chats = new Map<number, ChatInfo>();
  private readonly messages = new Map<number, Map<number, Message>>();
  private readonly lastMessageId = new Map<number, number>();
  private readonly openQueries = new Set<string>();
  private readonly files = new Map<string, StoredFile>();
  private readonly commands = new Map<string, unknown[]>();

  private constructor(
    private readonly server: Server,
    readonly apiRoot: string,
    options: FakeBotApiOptions,
  ) {
    this.token = options.token ?? DEFAULT_TOKEN;
    this.strictHtmlEntities = options.strictHtmlEntities ?? true;
    this.messagesPerSecond = options.messagesPerSecond ?? Infinity;
    this.chatLimit = options.chatLimit;
    this.handlers = this.createHandlers();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.inFlight.add(res);
      res.on('close', () => this.inFlight.delete(res));
      this.handleRequest(req, res).catch((error: unknown) => {
        console.error('[fake-bot-api]', error);
        sendError(res, new ApiError(500, 'Internal Server Error'));
      });
    });
  }

  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new FakeBotApi(server, `http://127.0.0.1:${port}`, options);
  }

  /** Answers pending long polls with `[]` (so the bot can stop), then closes every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const poll of this.polls) poll.settle({ updates: [] });
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.responsesSent(1000);
    // grammY keeps connections alive; without this close() would wait for them to time out.
    this.server.closeAllConnections();
    await closing;
  }

  private async responsesSent(maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // --- assertions and inspection ------------------------------------------

  /** Throws if any call was rejected the way Telegram would reject it. */
  expectNoRejections(): void {
    if (this.rejections.length === 0) return;
    const list = this.rejections.map((r) => `  ${r.method}: ${r.description}\n    params: ${brief(r.params)}`);
    throw new Error(`The fake Bot API rejected ${this.rejections.length} call(s):\n${list.join('\n')}`);
  }

  /** Returns the rejections so far and forgets them (for tests that expect some). */
  takeRejections(): Rejection[] {
    return this.rejections.splice(0);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Current state of the messages the bot sent to a chat, oldest first. */
  sentMessages(chatId: number): Message[] {
    return [...(this.messages.get(chatId)?.values() ?? [])].filter((m) => m.from?.id === BOT_INFO.id);
  }

  lastSentMessage(chatId: number): Message | undefined {
    return this.sentMessages(chatId).at(-1);
  }

  /** Commands set with setMyCommands for a language ('' = default) and scope (default scope). */
  myCommands(languageCode = '', scope: unknown = { type: 'default' }): unknown[] {
    return this.commands.get(commandsKey(scope, languageCode)) ?? [];
  }

  /** Resolves with the first recorded call matching `predicate`. */
  waitForCall(predicate: (call: RecordedCall) => boolean, options: WaitOptions = {}): Promise<RecordedCall> {
    const { timeoutMs = 3000, since = 0 } = options;
    const find = () => this.calls.slice(since).find(predicate);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No matching call within ${timeoutMs} ms. ${this.describeCalls(since)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.callListeners.delete(check);
      };
      this.callListeners.add(check);
      check();
    });
  }

  private describeCalls(since: number): string {
    const seen = this.calls.slice(since);
    const polls = seen.filter((c) => c.method === 'getUpdates').length;
    const others = seen.filter((c) => c.method !== 'getUpdates').map((c) => `  ${c.method} ${brief(c.params)}`);
    const rejected = this.rejections.map((r) => `  ${r.method}: ${r.description}`);
    return [
      `Calls seen (${polls} getUpdates omitted):`,
      ...(others.length ? others : ['  (none)']),
      ...(rejected.length ? ['Rejected:', ...rejected] : []),
    ].join('\n');
  }

  // --- fault injection ----------------------------------------------------

  /**
   * The next calls of `method` fail with these errors, one per call, in order;
   * with `every` n, each error comes after n - 1 calls that go through (faults spread over a run).
   */
  failNext(method: string, errors: InjectedError[], every = 1): void {
    const key = method.toLowerCase();
    const spread = errors.flatMap((error) => [...Array<'pass'>(every - 1).fill('pass'), error]);
    this.failures.set(key, [...(this.failures.get(key) ?? []), ...spread]);
  }

  // --- updates ------------------------------------------------------------

  /** Queues an update for getUpdates and returns it with its update_id. */
  pushUpdate(update: Omit<Update, 'update_id'>): Update {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    this.rememberUpdate(full);
    this.updates.push(full);
    this.queue.push(full);
    this.flushPolls();
    return full;
  }

  /** A text message from a user; `/command` and `@mentions` get their entities. */
  sendText(text: string, options: TextOptions = {}): Update {
    const entities = options.entities ?? detectEntities(text);
    const replyTo = options.replyToBot ? this.replyTarget(options) : undefined;
    return this.pushMessage(options, {
      text,
      ...(entities.length ? { entities } : {}),
      ...(replyTo ? { reply_to_message: replyTo as Message['reply_to_message'] } : {}),
    });
  }

  sendSticker(options: SenderOptions & { emoji?: string } = {}): Update {
    const file = this.createFile('stickers', 'webp');
    const sticker = {
      ...file, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: options.emoji ?? '👍',
    };
    return this.pushMessage(options, { sticker } as Partial<Message>);
  }

  sendPhoto(options: MediaOptions = {}): Update {
    const sizes: [number, number][] = [[90, 67], [320, 240], [1280, 960]];
    const photo = sizes.map(([width, height], index) => {
      const file = this.createFile('photos', 'jpg', index === sizes.length - 1 ? options.data : undefined);
      return { ...file, width, height, file_size: width * height };
    });
    return this.pushMessage(options, { photo, ...this.caption(options) });
  }

  sendVoice(options: MediaOptions & { duration?: number } = {}): Update {
    const file = this.createFile('voice', 'oga', options.data);
    const voice = { ...file, duration: options.duration ?? 3, mime_type: 'audio/ogg', file_size: options.data?.length ?? 4096 };
    return this.pushMessage(options, { voice, ...this.caption(options) });
  }

  sendLocation(latitude: number, longitude: number, options: SenderOptions = {}): Update {
    return this.pushMessage(options, { location: { latitude, longitude } });
  }

  /** The user edits one of their earlier messages (an `edited_message` update). */
  editMessage(message: Message, newText: string, options: Pick<TextOptions, 'entities'> = {}): Update {
    const entities = options.entities ?? detectEntities(newText);
    const { entities: _old, ...rest } = message;
    const edited = { ...rest, text: newText, ...(entities.length ? { entities } : {}), edit_date: unixNow() } as Message;
    this.storeMessage(edited);
    return this.pushUpdate({ edited_message: edited as NonNullable<Update['edited_message']> });
  }

  /** The user presses an inline button on a message the bot sent. */
  pressButton(message: Message, callbackData: string, options: ButtonOptions = {}): Update {
    const current = this.messages.get(message.chat.id)?.get(message.message_id) ?? message;
    if (!options.allowMissingButton && !hasCallbackButton(current, callbackData)) {
      throw new Error(`Message ${message.message_id} has no button with callback_data ${JSON.stringify(callbackData)}`);
    }
    const userId = options.userId ?? (current.chat.type === 'private' ? current.chat.id : DEFAULT_USER_ID);
    const id = this.openQuery();
    return this.pushUpdate({
      callback_query: {
        id,
        from: makeUser(userId, options.languageCode),
        message: current,
        chat_instance: String(current.chat.id), // opaque to bots; one per chat is enough
        data: callbackData,
      },
    });
  }

  /**
   * The user presses a button of a message sent through inline mode: Telegram names such a message by an
   * inline_message_id and sends neither the message nor its chat (the fake does not keep them).
   */
  pressInlineButton(inlineMessageId: string, callbackData: string, options: Omit<ButtonOptions, 'allowMissingButton'> = {}): Update {
    return this.pushUpdate({
      callback_query: {
        id: this.openQuery(),
        from: makeUser(options.userId ?? DEFAULT_USER_ID, options.languageCode),
        inline_message_id: inlineMessageId,
        chat_instance: `inline-${inlineMessageId}`,
        data: callbackData,
      },
    });
  }

  inlineQuery(query: string, options: { userId?: number; languageCode?: string; offset?: string } = {}): Update {
    return this.pushUpdate({
      inline_query: {
        id: this.openQuery(),
        from: makeUser(options.userId ?? DEFAULT_USER_ID, options.languageCode),
        query,
        offset: options.offset ?? '',
        chat_type: 'sender',
      },
    });
  }

  private pushMessage(options: SenderOptions, content: Partial<Message>): Update {
    const { chat, from } = this.resolveSender(options);
    const date = options.date ?? unixNow();
    const message = { message_id: this.allocateMessageId(chat.id), from, chat, date, ...content } as IncomingMsg;
    return this.pushUpdate({ message });
  }

  private resolveSender(options: SenderOptions): { chat: ChatInfo; from: User } {
    const type = options.chatType ?? 'private';
    const userId = options.userId ?? (type === 'private' ? options.chatId : undefined) ?? DEFAULT_USER_ID;
    const from = makeUser(userId, options.languageCode);
    if (type === 'private') {
      return { from, chat: { id: userId, type, first_name: from.first_name, username: from.username! } };
    }
    const id = options.chatId ?? (type === 'group' ? DEFAULT_GROUP_ID : DEFAULT_SUPERGROUP_ID);
    return { from, chat: { id, type, title: `Test ${type} ${id}` } as ChatInfo };
  }

  private replyTarget(options: SenderOptions): Message {
    const { chat } = this.resolveSender(options);
    const last = this.lastSentMessage(chat.id);
    if (last) return last;
    return { message_id: this.allocateMessageId(chat.id), from: BOT_USER, chat, date: unixNow(), text: '…' } as Message;
  }

  private caption(options: MediaOptions): Partial<Message> {
    if (options.caption === undefined) return {};
    const entities = detectEntities(options.caption);
    return { caption: options.caption, ...(entities.length ? { caption_entities: entities } : {}) };
  }

  private createFile(folder: string, extension: string, data?: Uint8Array) {
    const n = this.nextFileId++;
    const file: StoredFile = {
      file_id: `FAKE-FILE-${n}`,
      file_unique_id: `fake-unique-${n}`,
      file_path: `${folder}/file_${n}.${extension}`,
      ...(data ? { data } : {}),
    };
    this.files.set(file.file_id, file);
    return { file_id: file.file_id, file_unique_id: file.file_unique_id };
  }

  private openQuery(): string {
    const id = String(4_700_000_000_000_000 + this.nextQueryId++);
    this.openQueries.add(id);
    return id;
  }

  /** Chats and messages in updates become known, as they are to Telegram. */
  private rememberUpdate(update: Update) {
    const message = update.message ?? update.edited_message ?? update.callback_query?.message;
    if (message && 'chat' in message) {
      this.chats.set(message.chat.id, message.chat);
      if (message.date !== 0) this.storeMessage(message as Message);
    }
  }

  private storeMessage(message: Message) {
    const chatMessages = this.messages.get(message.chat.id) ?? new Map<number, Message>();
    chatMessages.set(message.message_id, message);
    this.messages.set(message.chat.id, chatMessages);
    this.lastMessageId.set(message.chat.id, Math.max(this.lastMessageId.get(message.chat.id) ?? 0, message.message_id));
  }

  private allocateMessageId(chatId: number): number {
    const id = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, id);
    return id;
  }

  // --- HTTP ---------------------------------------------------------------

  private async handleRequest(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(res, file[1]!, decodeURIComponent(file[2]!));
    const call = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    if (!call) return send(res, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = call as unknown as [string, string, string];

    let params: Params;
    try {
      params = parseParams(req.headers['content-type'], await readBody(req), url.searchParams);
    } catch (error) {
      if (!(error instanceof BodyParseError)) throw error;
      return this.reject(res, method, undefined, badRequest(`can't parse request body: ${error.message}`));
    }
    if (token !== this.token) return this.reject(res, method, params, new ApiError(401, 'Unauthorized'));

    const next = this.failures.get(method.toLowerCase())?.shift();
    const injected = next === 'pass' ? undefined : next;
    if (injected) this.injectedFailures.push({ method, params, at: Date.now(), error: injected });
    if (injected && 'delayMs' in injected) await new Promise((resolve) => setTimeout(resolve, injected.delayMs));
    else if (injected && 'drop' in injected && injected.drop === 'before') return void res.socket?.destroy();
    else if (injected && !('drop' in injected)) return this.injectFailure(res, injected);

    if (/^(send|copy|forward)/i.test(method)) {
      const chatWait = this.overChatLimit(params['chat_id']);
      if (chatWait > 0) {
        this.throttled++;
        this.chatThrottled.push({ method, params, at: Date.now(), retryAfter: chatWait });
        return sendError(res, new ApiError(429, `Too Many Requests: retry after ${chatWait}`, { retry_after: chatWait }));
      }
      if (this.overSendLimit()) {
        this.throttled++;
        return sendError(res, new ApiError(429, 'Too Many Requests: retry after 1', { retry_after: 1 }));
      }
      this.recentChatSends.get(String(params['chat_id']))?.push(Date.now());
    }
    const handler = this.handlers[method.toLowerCase()];
    if (!handler) return this.reject(res, method, params, new ApiError(404, 'Not Found: method not found'));
    await this.runHandler(res, method, params, handler, injected === undefined || !('drop' in injected));
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

  /** Runs the method; with `answer` false the call takes effect but the connection drops instead of the answer. */
  private async runHandler(res: ServerResponse, method: string, params: Params, handler: Handler, answer = true) {
    const aborted = new AbortController();
    res.on('close', () => aborted.abort()); // the client gave up (e.g. grammY's bot.stop() cancelling a long poll)
    try {
      const result = await handler(params, aborted.signal);
      this.record(method, params);
      if (!answer) return void res.socket?.destroy();
      send(res, { ok: true, result });
    } catch (error) {
      if (error instanceof TerminatedPoll) return sendError(res, error);
      if (error instanceof ApiError) return this.reject(res, method, params, error);
      const bug = new ApiError(500, `Internal Server Error: fake-bot-api failed: ${String(error)}`);
      this.reject(res, method, params, bug);
      console.error('[fake-bot-api]', error);
    }
  }

  private record(method: string, params: Params) {
    this.calls.push({ method, params, at: Date.now() });
    for (const listener of [...this.callListeners]) listener();
  }

  private reject(res: ServerResponse, method: string, params: unknown, error: ApiError) {
    this.rejections.push({ method, params, errorCode: error.code, description: error.description, at: Date.now() });
    sendError(res, error);
  }

  private injectFailure(res: ServerResponse, error: Extract<InjectedError, { code: unknown }>) {
    if (error.code === 'html502') {
      const page = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n';
      res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
      return void res.end(page);
    }
    if (error.code === 429) {
      const description = `Too Many Requests: retry after ${error.retryAfter}`;
      return sendError(res, new ApiError(429, description, { retry_after: error.retryAfter }));
    }
    sendError(res, new ApiError(error.code, error.code === 500 ? 'Internal Server Error' : 'Bad Gateway'));
  }

  private serveFile(res: ServerResponse, token: string, path: string) {
    const file = [...this.files.values()].find((f) => f.file_path === path);
    if (token !== this.token || !file?.data) {
      return send(res, { ok: false, error_code: 404, description: 'Not Found' });
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.data.length });
    res.end(file.data);
  }

  // --- methods ------------------------------------------------------------

  private createHandlers(): Record<string, Handler> {
    const handlers: Record<string, Handler> = {
      getMe: () => BOT_INFO,
      logOut: () => true,
      close: () => true,
      getUpdates: (p, signal) => this.getUpdates(p, signal),
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => this.deleteWebhook(p),
      getWebhookInfo: () => ({ url: this.webhookUrl, has_custom_certificate: false, pending_update_count: this.queue.length }),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.myCommands(this.languageCode(p), asJson(p['scope'], 'invalid scope') ?? undefined),
      deleteMyCommands: (p) => this.deleteMyCommands(p),
      sendChatAction: (p) => this.sendChatAction(p),
      sendMessage: (p) => this.sendMessage(p),
      editMessageText: (p) => this.editBotMessage(p, true),
      editMessageReplyMarkup: (p) => this.editBotMessage(p, false),
      deleteMessage: (p) => this.deleteMessage(p),
      sendLocation: (p) => this.sendBotLocation(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      answerInlineQuery: (p) => this.answerInlineQuery(p),
      getFile: (p) => this.getFile(p),
    };
    for (const [method, field] of Object.entries(MEDIA_METHODS)) handlers[method] = (p) => this.sendMedia(p, field);
    return Object.fromEntries(Object.entries(handlers).map(([name, h]) => [name.toLowerCase(), h]));
  }

  private getUpdates(p: Params, signal: AbortSignal): Update[] | Promise<Update[]> {
    if (this.webhookUrl) {
      const description = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
      throw new ApiError(409, description);
    }
    this.confirmUpdates(asNumber(p['offset']) ?? 0);
    const allowed = asJson(p['allowed_updates'], "can't parse allowed_updates");
    if (Array.isArray(allowed)) {
      const types = new Set(allowed.map(String));
      this.allowedUpdates = types.size > 0 ? (t) => types.has(t) : DEFAULT_ALLOWED_UPDATES;
    }
    const limit = Math.min(Math.max(asNumber(p['limit']) ?? 100, 1), 100);
    const timeout = Math.max(asNumber(p['timeout']) ?? 0, 0);

    // Telegram ends an older long poll when a newer one arrives.
    for (const poll of this.polls) {
      poll.settle({ error: new TerminatedPoll() });
    }
    const ready = this.deliverable(limit);
    if (ready.length > 0 || timeout === 0 || this.closed) return ready;
    return this.longPoll(limit, timeout, signal);
  }

  private longPoll(limit: number, timeoutSeconds: number, signal: AbortSignal): Promise<Update[]> {
    return new Promise((resolve, reject) => {
      const poll: PendingPoll = {
        limit,
        timer: setTimeout(() => poll.settle({ updates: [] }), timeoutSeconds * 1000),
        settle: (result) => {
          clearTimeout(poll.timer);
          this.polls.delete(poll);
          if ('error' in result) reject(result.error);
          else resolve(result.updates);
        },
      };
      this.polls.add(poll);
      signal.addEventListener('abort', () => poll.settle({ updates: [] }), { once: true });
    });
  }

  /** Drops updates below `offset`; a negative offset keeps only the last -offset updates. */
  private confirmUpdates(offset: number) {
    if (offset < 0) this.queue = this.queue.slice(offset);
    else if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
  }

  private deliverable(limit: number): Update[] {
    const dropped = this.queue.filter((u) => !this.allowedUpdates(updateType(u)));
    if (dropped.length > 0) {
      this.droppedUpdates.push(...dropped);
      this.queue = this.queue.filter((u) => !dropped.includes(u));
    }
    return this.queue.slice(0, limit);
  }

  private flushPolls() {
    for (const poll of this.polls) {
      const ready = this.deliverable(poll.limit);
      if (ready.length > 0) poll.settle({ updates: ready });
    }
  }

  private setWebhook(p: Params) {
    const url = asString(p['url']) ?? '';
    if (url !== '' && !/^https:\/\//i.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    this.webhookUrl = url;
    if (p['drop_pending_updates'] === true || p['drop_pending_updates'] === 'true') this.queue = [];
    return true;
  }

  private deleteWebhook(p: Params) {
    this.webhookUrl = '';
    if (p['drop_pending_updates'] === true || p['drop_pending_updates'] === 'true') this.queue = [];
    return true;
  }

  private setMyCommands(p: Params) {
    const languageCode = this.languageCode(p);
    const commands = asJson(p['commands'], "can't parse commands JSON object");
    if (!Array.isArray(commands)) throw badRequest('field "commands" must be an Array');
    if (commands.length > MAX_COMMANDS) throw badRequest('BOT_COMMANDS_TOO_MUCH');
    const cleaned = commands.map(validateCommand);
    this.commands.set(commandsKey(asJson(p['scope'], 'invalid scope'), languageCode), cleaned);
    return true;
  }

  private deleteMyCommands(p: Params) {
    this.commands.delete(commandsKey(asJson(p['scope'], 'invalid scope'), this.languageCode(p)));
    return true;
  }

  private languageCode(p: Params): string {
    const code = asString(p['language_code']) ?? '';
    if (code !== '' && !/^[a-z]{2}$/.test(code)) throw badRequest('invalid language code specified');
    return code;
  }

  private sendChatAction(p: Params) {
    this.requireChat(p['chat_id']);
    if (!CHAT_ACTIONS.has(asString(p['action']) ?? '')) throw badRequest('wrong parameter action in request');
    return true;
  }

  private sendMessage(p: Params): Message {
    const content = formatText(p['text'], p['parse_mode'], MESSAGE_TEXT, this.strictHtmlEntities);
    const markup = validateReplyMarkup(p['reply_markup']);
    const chat = this.requireChat(p['chat_id']);
    const replyTo = this.checkReplyTarget(chat.id, p);
    return this.storeBotMessage(chat, {
      ...content,
      ...(markup ? { reply_markup: markup } : {}),
      ...(replyTo ? { reply_to_message: replyTo } : {}),
    } as Partial<Message>);
  }

  private sendMedia(p: Params, field: string): Message {
    const content = formatText(p['caption'], p['parse_mode'], CAPTION, this.strictHtmlEntities);
    const markup = validateReplyMarkup(p['reply_markup']);
    const chat = this.requireChat(p['chat_id']);
    const media = this.resolveMediaInput(p, field);
    this.checkReplyTarget(chat.id, p);
    const caption = content.text
      ? { caption: content.text, ...(content.entities ? { caption_entities: content.entities } : {}) }
      : {};
    const message = { [field]: media, ...caption, ...(markup ? { reply_markup: markup } : {}) };
    return this.storeBotMessage(chat, message as Partial<Message>);
  }

  /** A file_id the fake issued, a URL, or an upload (`attach://name` in multipart). */
  private resolveMediaInput(p: Params, field: string): unknown {
    const input = p[field];
    if (input === undefined || input === '') throw badRequest(`there is no ${field} in the request`);
    const known = typeof input === 'string' ? this.files.get(input) : undefined;
    if (typeof input === 'string' && !known && !/^(https?:\/\/|attach:\/\/)/.test(input)) {
      throw badRequest('wrong file identifier/HTTP URL specified');
    }
    const upload = typeof input === 'string' && input.startsWith('attach://') ? p[input.slice('attach://'.length)] : input;
    const data = isUploadedFile(upload) ? upload.data : undefined;
    const file = known ? { file_id: known.file_id, file_unique_id: known.file_unique_id } : this.createFile(field, 'dat', data);
    return field === 'photo' ? [{ ...file, width: 1280, height: 960 }] : { ...file, file_size: data?.length ?? 1024 };
  }

  private sendBotLocation(p: Params): Message {
    const chat = this.requireChat(p['chat_id']);
    const latitude = asNumber(p['latitude']);
    const longitude = asNumber(p['longitude']);
    if (latitude === undefined || Math.abs(latitude) > 90 || longitude === undefined || Math.abs(longitude) > 180) {
      throw badRequest('wrong latitude/longitude specified');
    }
    return this.storeBotMessage(chat, { location: { latitude, longitude } });
  }

  private editBotMessage(p: Params, withText: boolean): Message | true {
    const markup = validateReplyMarkup(p['reply_markup']);
    const content = withText
      ? formatText(p['text'], p['parse_mode'], MESSAGE_TEXT, this.strictHtmlEntities)
      : undefined;
    if (p['inline_message_id'] !== undefined) return true; // messages sent via inline mode are not tracked
    const chat = this.requireChat(p['chat_id']);
    const current = this.messages.get(chat.id)?.get(asNumber(p['message_id']) ?? -1);
    if (!current) throw badRequest('message to edit not found');
    if (current.from?.id !== BOT_INFO.id) throw badRequest("message can't be edited");

    const { text: _t, entities: _e, reply_markup: _m, ...rest } = current;
    const next = {
      ...rest,
      ...(content ?? { text: current.text, ...(current.entities ? { entities: current.entities } : {}) }),
      ...(markup ? { reply_markup: markup } : {}),
    } as Message;
    if (sameContent(current, next)) throw badRequest(NOT_MODIFIED);
    const edited = { ...next, edit_date: unixNow() } as Message;
    this.storeMessage(edited);
    return edited;
  }

  private deleteMessage(p: Params) {
    const chat = this.requireChat(p['chat_id']);
    const messageId = asNumber(p['message_id']) ?? -1;
    if (!this.messages.get(chat.id)?.delete(messageId)) throw badRequest('message to delete not found');
    return true;
  }

  private answerCallbackQuery(p: Params) {
    if ((asString(p['text']) ?? '').length > MAX_CALLBACK_ANSWER_LENGTH) throw badRequest('MESSAGE_TOO_LONG');
    this.consumeQuery(p['callback_query_id']);
    return true;
  }

  private answerInlineQuery(p: Params) {
    const results = asJson(p['results'], "can't parse inline query results JSON object");
    if (!Array.isArray(results)) throw badRequest('field "results" must be an Array');
    if (results.length > MAX_INLINE_RESULTS) throw badRequest('RESULTS_TOO_MUCH');
    const ids = new Set<string>();
    for (const result of results) {
      const id = validateInlineResult(result, this.strictHtmlEntities);
      if (ids.has(id)) throw badRequest('RESULT_ID_DUPLICATE');
      ids.add(id);
    }
    this.consumeQuery(p['inline_query_id']);
    return true;
  }

  private getFile(p: Params) {
    const file = this.files.get(asString(p['file_id']) ?? '');
    if (!file) throw badRequest('invalid file_id');
    const { file_id, file_unique_id, file_path, data } = file;
    return { file_id, file_unique_id, file_size: data?.length ?? 1024, file_path };
  }

  private consumeQuery(id: unknown) {
    const key = asString(id) ?? '';
    if (!this.openQueries.delete(key)) throw badRequest(QUERY_ID_INVALID);
  }

  private requireChat(chatId: unknown): ChatInfo {
    const id = asNumber(chatId);
    const chat = id === undefined ? undefined : this.chats.get(id);
    if (!chat) throw badRequest('chat not found');
    return chat;
  }

  /** Returns the message replied to, which Telegram includes (without its own reply) in the sent message. */
  private checkReplyTarget(chatId: number, p: Params): Message | undefined {
    const reply = asJson(p['reply_parameters'], "can't parse reply parameters JSON object") as Params | undefined;
    const messageId = asNumber(reply?.['message_id'] ?? p['reply_to_message_id']);
    if (messageId === undefined || reply?.['chat_id'] !== undefined) return undefined;
    const allowMissing = reply?.['allow_sending_without_reply'] === true || p['allow_sending_without_reply'] === true;
    const target = this.messages.get(chatId)?.get(messageId);
    if (!allowMissing && !target) throw badRequest('message to be replied not found');
    if (!target) return undefined;
    const { reply_to_message: _nested, ...withoutNested } = target;
    return withoutNested as Message;
  }

  private storeBotMessage(chat: ChatInfo, content: Partial<Message>): Message {
    const message_id = this.allocateMessageId(chat.id);
    const message = { message_id, from: BOT_USER, chat, date: unixNow(), ...content } as Message;
    this.storeMessage(message);
    return message;
  }
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function send(res: ServerResponse, body: { ok: boolean; error_code?: number } & Params) {
  if (res.writableEnded || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(body.ok ? 200 : (body.error_code ?? 500), {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

function sendError(res: ServerResponse, error: ApiError) {
  send(res, {
    ok: false,
    error_code: error.code,
    description: error.description,
    ...(error.parameters ? { parameters: error.parameters } : {}),
  });
}

function brief(value: unknown): string {
  const describeFiles = (_key: string, v: unknown) => (isUploadedFile(v) ? `<file ${v.filename}, ${v.size} bytes>` : v);
  const json = JSON.stringify(value, describeFiles) ?? 'undefined';
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}

function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as Partial<UploadedFile>).data);
}

function makeUser(id: number, languageCode = 'en'): User {
  return { id, is_bot: false, first_name: `User${id}`, username: `user${id}`, language_code: languageCode };
}

function updateType(update: Update): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? '';
}

/** Entities Telegram clients add to what users type: a leading /command and @mentions. */
function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const command = /^\/[a-zA-Z0-9_]{1,64}(@[a-zA-Z0-9_]{3,32})?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const mention of text.matchAll(/(?<![\w@/])@[a-zA-Z0-9_]{5,32}\b/g)) {
    entities.push({ type: 'mention', offset: mention.index, length: mention[0].length });
  }
  return entities;
}

function hasCallbackButton(message: Message, data: string): boolean {
  return (message.reply_markup?.inline_keyboard ?? []).some((row) =>
    row.some((button) => 'callback_data' in button && button.callback_data === data),
  );
}

function sameContent(a: Message, b: Message): boolean {
  const view = (m: Message) => stableJson({ text: m.text, entities: m.entities ?? [], markup: m.reply_markup ?? null });
  return view(a) === view(b);
}

function commandsKey(scope: unknown, languageCode: string): string {
  return `${stableJson(scope ?? { type: 'default' })}|${languageCode}`;
}

/** tdlib: trims, strips a leading '/', then checks lengths; the server rejects other characters. */
function validateCommand(raw: unknown): { command: string; description: string } {
  const c = (typeof raw === 'object' && raw !== null ? raw : {}) as Params;
  const command = (asString(c['command']) ?? '').trim().replace(/^\//, '');
  const description = (asString(c['description']) ?? '').trim();
  if (command === '') throw badRequest('command must be non-empty');
  if ([...command].length > 32) throw badRequest('command length must not exceed 32');
  if (!/^[a-z0-9_]+$/.test(command)) throw badRequest('BOT_COMMAND_INVALID');
  if (description === '') throw badRequest('command description must be non-empty');
  if ([...description].length > 256) throw badRequest('command description length must not exceed 256');
  return { command, description };
}

/** Returns the result's id. */
function validateInlineResult(raw: unknown, strictEntities: boolean): string {
  if (typeof raw !== 'object' || raw === null) {
    throw badRequest("can't parse inline query result: InlineQueryResult must be an Object");
  }
  const result = raw as Params;
  const id = asString(result['id']) ?? '';
  if (id === '' || utf8Length(id) > MAX_INLINE_RESULT_ID_BYTES) throw badRequest('RESULT_ID_INVALID');
  validateReplyMarkup(result['reply_markup']);
  if (result['type'] !== 'article') return id;
  if (typeof result['title'] !== 'string' || result['title'] === '') {
    throw badRequest(`can't parse inline query result: Can't find field "title"`);
  }
  const content = result['input_message_content'] as Params | undefined;
  if (typeof content !== 'object' || content === null) {
    throw badRequest(`can't parse inline query result: Can't find field "input_message_content"`);
  }
  if ('message_text' in content) {
    formatText(content['message_text'], content['parse_mode'], MESSAGE_TEXT, strictEntities);
  }
  return id;
}
