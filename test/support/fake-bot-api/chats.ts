/**
 * What the fake knows, as Telegram does: the chats it has seen, their
 * messages (the users' and the bot's, as edited), files, open callback and
 * inline queries, and the bot's commands.
 */
import type { Message, Update, User } from 'grammy/types';
import { badRequest, QUERY_ID_INVALID } from './errors.js';
import { BOT_INFO, BOT_USER, type Params } from './types.js';
import { asJson, asNumber, asString, commandsKey } from './validation.js';

export type ChatInfo = Message['chat'];

export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  data?: Uint8Array;
}

export const unixNow = () => Math.floor(Date.now() / 1000);

export function makeUser(id: number, languageCode = 'en'): User {
  return { id, is_bot: false, first_name: `User${id}`, username: `user${id}`, language_code: languageCode };
}

export class ChatState {
  private readonly chats = new Map<number, ChatInfo>();
  private readonly messages = new Map<number, Map<number, Message>>();
  private readonly lastMessageId = new Map<number, number>();
  private readonly openQueries = new Set<string>();
  private readonly files = new Map<string, StoredFile>();
  private readonly commands = new Map<string, unknown[]>();
  private nextQueryId = 1;
  private nextFileId = 1;

  /** A message of a chat in its current state. */
  message(chatId: number, messageId: number): Message | undefined {
    return this.messages.get(chatId)?.get(messageId);
  }

  /** Current state of the messages the bot sent to a chat, oldest first. */
  sentMessages(chatId: number): Message[] {
    return [...(this.messages.get(chatId)?.values() ?? [])].filter((m) => m.from?.id === BOT_INFO.id);
  }

  /** Chats and messages in updates become known, as they are to Telegram. */
  rememberUpdate(update: Update) {
    const message = update.message ?? update.edited_message ?? update.callback_query?.message;
    if (message && 'chat' in message) {
      this.chats.set(message.chat.id, message.chat);
      if (message.date !== 0) this.storeMessage(message as Message);
    }
  }

  storeMessage(message: Message) {
    const chatMessages = this.messages.get(message.chat.id) ?? new Map<number, Message>();
    chatMessages.set(message.message_id, message);
    this.messages.set(message.chat.id, chatMessages);
    this.lastMessageId.set(message.chat.id, Math.max(this.lastMessageId.get(message.chat.id) ?? 0, message.message_id));
  }

  allocateMessageId(chatId: number): number {
    const id = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, id);
    return id;
  }

  /** Removes a message; false if there is no such message. */
  deleteMessage(chatId: number, messageId: number): boolean {
    return this.messages.get(chatId)?.delete(messageId) ?? false;
  }

  storeBotMessage(chat: ChatInfo, content: Partial<Message>): Message {
    const message_id = this.allocateMessageId(chat.id);
    const message = { message_id, from: BOT_USER, chat, date: unixNow(), ...content } as Message;
    this.storeMessage(message);
    return message;
  }

  requireChat(chatId: unknown): ChatInfo {
    const id = asNumber(chatId);
    const chat = id === undefined ? undefined : this.chats.get(id);
    if (!chat) throw badRequest('chat not found');
    return chat;
  }

  /** Returns the message replied to, which Telegram includes (without its own reply) in the sent message. */
  checkReplyTarget(chatId: number, p: Params): Message | undefined {
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

  createFile(folder: string, extension: string, data?: Uint8Array) {
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

  file(fileId: string): StoredFile | undefined {
    return this.files.get(fileId);
  }

  fileAt(path: string): StoredFile | undefined {
    return [...this.files.values()].find((f) => f.file_path === path);
  }

  openQuery(): string {
    const id = String(4_700_000_000_000_000 + this.nextQueryId++);
    this.openQueries.add(id);
    return id;
  }

  /** A callback or inline query is answered once. */
  consumeQuery(id: unknown) {
    const key = asString(id) ?? '';
    if (!this.openQueries.delete(key)) throw badRequest(QUERY_ID_INVALID);
  }

  /** Commands set with setMyCommands for a language ('' = default) and scope (default scope). */
  myCommands(languageCode = '', scope: unknown = { type: 'default' }): unknown[] {
    return this.commands.get(commandsKey(scope, languageCode)) ?? [];
  }

  setCommands(scope: unknown, languageCode: string, commands: unknown[]) {
    this.commands.set(commandsKey(scope, languageCode), commands);
  }

  deleteCommands(scope: unknown, languageCode: string) {
    this.commands.delete(commandsKey(scope, languageCode));
  }
}
