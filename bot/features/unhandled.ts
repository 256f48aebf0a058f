/**
 * What no other feature took, registered last: in private chats a short hint
 * (media the bot cannot read, unknown commands, buttons it no longer knows);
 * in groups silence, since the message was probably not for the bot.
 * Edited messages are ignored: the answer to the first version stands.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../telegram/context.js';
import { escapeHtml } from '../presentation/html.js';
import { replyHtml } from '../telegram/reply.js';

export function unhandledFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const privateChats = feature.chatType('private');

  privateChats.on('message:text', (ctx) => replyHtml(ctx, escapeHtml(ctx.m.unknownCommand), ctx.msg.message_id));
  privateChats.on('message', (ctx) => replyHtml(ctx, escapeHtml(ctx.m.unsupportedMessage), ctx.msg.message_id));
  feature.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true }));

  return feature;
}
