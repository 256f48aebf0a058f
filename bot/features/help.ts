/** /help: how to ask, in private chats and groups, and the filter syntax. */
import { Composer } from 'grammy';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { replyHtml } from '../telegram/reply.js';

export function helpFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('help', (ctx) => replyHtml(ctx, ctx.m.helpHtml(holder.current.examples), ctx.msg.message_id));
  return feature;
}
