/** /about: which index is in use: when it was built, with which model (or full-text only) and its calibration, how big. */
import { Composer } from 'grammy';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { aboutHtml } from '../presentation/format.js';
import { replyHtml } from '../telegram/reply.js';

export function aboutFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command('about', (ctx) => replyHtml(ctx, aboutHtml(holder.current, ctx.m), ctx.msg.message_id));
  return feature;
}
