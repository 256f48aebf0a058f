/** "Context n": the paragraphs before and after a quote, found by its content hash so that re-indexing keeps it valid. */
import { Composer } from 'grammy';
import { findContext } from '../answer.js';
import { decodeCallbackData } from '../presentation/callback-data.js';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { replyHtml } from '../telegram/reply.js';

export function contextFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.callbackQuery(/^ctx:/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const answerMessage = ctx.callbackQuery.message;
    const html = data?.kind === 'ctx' ? await holder.use((engine) => findContext(engine, data.hash, ctx.m)) : null;
    if (!html || !answerMessage) {
      await ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await replyHtml(ctx, html, answerMessage.message_id);
  });
  return feature;
}
