/** The users' side: who sends a message and from which chat, and the entities their clients add. */
import type { Message, MessageEntity, User } from 'grammy/types';
import { type ChatInfo, makeUser } from './chats.js';
import type { SenderOptions } from './types.js';

export const DEFAULT_USER_ID = 1001;
const DEFAULT_GROUP_ID = -4001;
const DEFAULT_SUPERGROUP_ID = -1001000000001;

/** The sender and chat of a message a test sends: a private chat with user 1001 unless told otherwise. */
export function senderOf(options: SenderOptions): { chat: ChatInfo; from: User } {
  const type = options.chatType ?? 'private';
  const userId = options.userId ?? (type === 'private' ? options.chatId : undefined) ?? DEFAULT_USER_ID;
  const from = makeUser(userId, options.languageCode);
  if (type === 'private') {
    return { from, chat: { id: userId, type, first_name: from.first_name, username: from.username! } };
  }
  const id = options.chatId ?? (type === 'group' ? DEFAULT_GROUP_ID : DEFAULT_SUPERGROUP_ID);
  return { from, chat: { id, type, title: `Test ${type} ${id}` } as ChatInfo };
}

/** Entities Telegram clients add to what users type: a leading /command and @mentions. */
export function detectEntities(text: string): MessageEntity[] {
  const entities: MessageEntity[] = [];
  const command = /^\/[a-zA-Z0-9_]{1,64}(@[a-zA-Z0-9_]{3,32})?/.exec(text);
  if (command) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const mention of text.matchAll(/(?<![\w@/])@[a-zA-Z0-9_]{5,32}\b/g)) {
    entities.push({ type: 'mention', offset: mention.index, length: mention[0].length });
  }
  return entities;
}

export function hasCallbackButton(message: Message, data: string): boolean {
  return (message.reply_markup?.inline_keyboard ?? []).some((row) =>
    row.some((button) => 'callback_data' in button && button.callback_data === data),
  );
}
