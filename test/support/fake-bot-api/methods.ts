/** The Bot API methods the fake answers, each validated the way Telegram does and applied to its state. */
import type { Message } from 'grammy/types';
import { type ChatState, unixNow } from './chats.js';
import { badRequest, NOT_MODIFIED } from './errors.js';
import { isUploadedFile } from './http.js';
import { BOT_INFO, type Params } from './types.js';
import type { UpdateQueue } from './updates.js';
import {
  asJson, asNumber, asString, CAPTION, formatText, MAX_CALLBACK_ANSWER_LENGTH, MAX_COMMANDS, MAX_INLINE_RESULTS, MESSAGE_TEXT,
  sameContent, validateCommand, validateInlineResult, validateReplyMarkup,
} from './validation.js';

export type Handler = (params: Params, signal: AbortSignal) => unknown;

const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice',
  'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);

const MEDIA_METHODS: Record<string, string> = {
  sendphoto: 'photo', sendaudio: 'audio', senddocument: 'document', sendvideo: 'video',
  sendanimation: 'animation', sendvoice: 'voice', sendvideonote: 'video_note', sendsticker: 'sticker',
};

export class BotApiMethods {
  constructor(
    private readonly chats: ChatState,
    private readonly updates: UpdateQueue,
    private readonly strictHtmlEntities: boolean,
  ) {}

  /** The handlers by method name in lower case (Telegram's method names are case-insensitive). */
  handlers(): Record<string, Handler> {
    const handlers: Record<string, Handler> = {
      getMe: () => BOT_INFO,
      logOut: () => true,
      close: () => true,
      getUpdates: (p, signal) => this.updates.getUpdates(p, signal),
      setWebhook: (p) => this.updates.setWebhook(p),
      deleteWebhook: (p) => this.updates.deleteWebhook(p),
      getWebhookInfo: () => this.updates.webhookInfo(),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.chats.myCommands(this.languageCode(p), asJson(p['scope'], 'invalid scope') ?? undefined),
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

  private setMyCommands(p: Params) {
    const languageCode = this.languageCode(p);
    const commands = asJson(p['commands'], "can't parse commands JSON object");
    if (!Array.isArray(commands)) throw badRequest('field "commands" must be an Array');
    if (commands.length > MAX_COMMANDS) throw badRequest('BOT_COMMANDS_TOO_MUCH');
    const cleaned = commands.map(validateCommand);
    this.chats.setCommands(asJson(p['scope'], 'invalid scope'), languageCode, cleaned);
    return true;
  }

  private deleteMyCommands(p: Params) {
    this.chats.deleteCommands(asJson(p['scope'], 'invalid scope'), this.languageCode(p));
    return true;
  }

  private languageCode(p: Params): string {
    const code = asString(p['language_code']) ?? '';
    if (code !== '' && !/^[a-z]{2}$/.test(code)) throw badRequest('invalid language code specified');
    return code;
  }

  private sendChatAction(p: Params) {
    this.chats.requireChat(p['chat_id']);
    if (!CHAT_ACTIONS.has(asString(p['action']) ?? '')) throw badRequest('wrong parameter action in request');
    return true;
  }

  private sendMessage(p: Params): Message {
    const content = formatText(p['text'], p['parse_mode'], MESSAGE_TEXT, this.strictHtmlEntities);
    const markup = validateReplyMarkup(p['reply_markup']);
    const chat = this.chats.requireChat(p['chat_id']);
    const replyTo = this.chats.checkReplyTarget(chat.id, p);
    return this.chats.storeBotMessage(chat, {
      ...content,
      ...(markup ? { reply_markup: markup } : {}),
      ...(replyTo ? { reply_to_message: replyTo } : {}),
    } as Partial<Message>);
  }

  private sendMedia(p: Params, field: string): Message {
    const content = formatText(p['caption'], p['parse_mode'], CAPTION, this.strictHtmlEntities);
    const markup = validateReplyMarkup(p['reply_markup']);
    const chat = this.chats.requireChat(p['chat_id']);
    const media = this.resolveMediaInput(p, field);
    this.chats.checkReplyTarget(chat.id, p);
    const caption = content.text
      ? { caption: content.text, ...(content.entities ? { caption_entities: content.entities } : {}) }
      : {};
    const message = { [field]: media, ...caption, ...(markup ? { reply_markup: markup } : {}) };
    return this.chats.storeBotMessage(chat, message as Partial<Message>);
  }

  /** A file_id the fake issued, a URL, or an upload (`attach://name` in multipart). */
  private resolveMediaInput(p: Params, field: string): unknown {
    const input = p[field];
    if (input === undefined || input === '') throw badRequest(`there is no ${field} in the request`);
    const known = typeof input === 'string' ? this.chats.file(input) : undefined;
    if (typeof input === 'string' && !known && !/^(https?:\/\/|attach:\/\/)/.test(input)) {
      throw badRequest('wrong file identifier/HTTP URL specified');
    }
    const upload = typeof input === 'string' && input.startsWith('attach://') ? p[input.slice('attach://'.length)] : input;
    const data = isUploadedFile(upload) ? upload.data : undefined;
    const file = known ? { file_id: known.file_id, file_unique_id: known.file_unique_id } : this.chats.createFile(field, 'dat', data);
    return field === 'photo' ? [{ ...file, width: 1280, height: 960 }] : { ...file, file_size: data?.length ?? 1024 };
  }

  private sendBotLocation(p: Params): Message {
    const chat = this.chats.requireChat(p['chat_id']);
    const latitude = asNumber(p['latitude']);
    const longitude = asNumber(p['longitude']);
    if (latitude === undefined || Math.abs(latitude) > 90 || longitude === undefined || Math.abs(longitude) > 180) {
      throw badRequest('wrong latitude/longitude specified');
    }
    return this.chats.storeBotMessage(chat, { location: { latitude, longitude } });
  }

  private editBotMessage(p: Params, withText: boolean): Message | true {
    const markup = validateReplyMarkup(p['reply_markup']);
    const content = withText
      ? formatText(p['text'], p['parse_mode'], MESSAGE_TEXT, this.strictHtmlEntities)
      : undefined;
    if (p['inline_message_id'] !== undefined) return true; // messages sent via inline mode are not tracked
    const chat = this.chats.requireChat(p['chat_id']);
    const current = this.chats.message(chat.id, asNumber(p['message_id']) ?? -1);
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
    this.chats.storeMessage(edited);
    return edited;
  }

  private deleteMessage(p: Params) {
    const chat = this.chats.requireChat(p['chat_id']);
    const messageId = asNumber(p['message_id']) ?? -1;
    if (!this.chats.deleteMessage(chat.id, messageId)) throw badRequest('message to delete not found');
    return true;
  }

  private answerCallbackQuery(p: Params) {
    if ((asString(p['text']) ?? '').length > MAX_CALLBACK_ANSWER_LENGTH) throw badRequest('MESSAGE_TOO_LONG');
    this.chats.consumeQuery(p['callback_query_id']);
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
    this.chats.consumeQuery(p['inline_query_id']);
    return true;
  }

  private getFile(p: Params) {
    const file = this.chats.file(asString(p['file_id']) ?? '');
    if (!file) throw badRequest('invalid file_id');
    const { file_id, file_unique_id, file_path, data } = file;
    return { file_id, file_unique_id, file_size: data?.length ?? 1024, file_path };
  }
}
