/** /help: how to ask, in private chats and groups, the filter syntax, and the commands (presentation/commands.ts). */
import { Composer } from 'grammy';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { sharedCommands } from '../presentation/commands.js';
import { replyHtml } from '../telegram/reply.js';

export function helpFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('help', (ctx) => replyHtml(ctx, ctx.m.helpHtml(holder.current.examples, sharedCommands(ctx.m), 'telegram'), ctx.msg.message_id));
  return feature;
}
