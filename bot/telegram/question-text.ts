/** The question in a message: its text without the leading /command and without mentions of the bot. */
import type { Message, MessageEntity } from 'grammy/types';

type TextMessage = Pick<Message, 'text' | 'entities'>;

function isBotMention(entity: MessageEntity, text: string, botUsername: string): boolean {
  const name = text.slice(entity.offset + 1, entity.offset + entity.length);
  return entity.type === 'mention' && name.toLowerCase() === botUsername.toLowerCase();
}

export function mentionsBot(message: TextMessage, botUsername: string): boolean {
  return (message.entities ?? []).some((entity) => isBotMention(entity, message.text ?? '', botUsername));
}

export function questionText(message: TextMessage, botUsername: string): string {
  const text = message.text ?? '';
  const removed = (message.entities ?? []).filter(
    (entity) => (entity.type === 'bot_command' && entity.offset === 0) || isBotMention(entity, text, botUsername),
  );
  let question = text;
  // From the end, so that earlier offsets stay valid.
  for (const entity of removed.sort((a, b) => b.offset - a.offset)) {
    question = `${question.slice(0, entity.offset)} ${question.slice(entity.offset + entity.length)}`;
  }
  return question.trim();
}
