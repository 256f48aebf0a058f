/**
 * Request validation as Telegram does it: parameters as they arrive (JSON,
 * form-encoded or multipart), text and its parse mode within Telegram's
 * limits, inline keyboards, commands and inline results.
 */
import type { Message, MessageEntity } from 'grammy/types';
import { badRequest } from './errors.js';
import { HtmlParseError, parseTelegramHtml, type ParsedText } from './html.js';
import type { Params } from './types.js';

// Telegram's limits
const MAX_TEXT_LENGTH = 4096;
const MAX_CAPTION_LENGTH = 1024;
const MAX_CALLBACK_DATA_BYTES = 64;
export const MAX_CALLBACK_ANSWER_LENGTH = 200;
export const MAX_INLINE_RESULTS = 50;
const MAX_INLINE_RESULT_ID_BYTES = 64;
const MAX_KEYBOARD_BUTTONS = 100;
export const MAX_COMMANDS = 100;

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Form-encoded and multipart bodies carry numbers as strings. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** Objects arrive as JSON strings in form-encoded and multipart bodies. */
export function asJson(value: unknown, whatFailed: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw badRequest(whatFailed);
  }
}

export interface FormattedText {
  text: string;
  entities?: MessageEntity[];
}

interface TextLimits {
  max: number;
  allowEmpty: boolean;
  tooLong: string;
}

export const MESSAGE_TEXT: TextLimits = { max: MAX_TEXT_LENGTH, allowEmpty: false, tooLong: 'message is too long' };
export const CAPTION: TextLimits = { max: MAX_CAPTION_LENGTH, allowEmpty: true, tooLong: 'message caption is too long' };

/** Parses `text` with `parse_mode` and checks the resulting length like Telegram. */
export function formatText(
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
export function validateReplyMarkup(raw: unknown): Params | undefined {
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

export function sameContent(a: Message, b: Message): boolean {
  const view = (m: Message) => stableJson({ text: m.text, entities: m.entities ?? [], markup: m.reply_markup ?? null });
  return view(a) === view(b);
}

export function commandsKey(scope: unknown, languageCode: string): string {
  return `${stableJson(scope ?? { type: 'default' })}|${languageCode}`;
}

/** tdlib: trims, strips a leading '/', then checks lengths; the server rejects other characters. */
export function validateCommand(raw: unknown): { command: string; description: string } {
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
export function validateInlineResult(raw: unknown, strictEntities: boolean): string {
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
