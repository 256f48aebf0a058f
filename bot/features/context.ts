/** "Context n": the paragraphs before and after a quote, found by its content hash so that re-indexing keeps it valid. */
import { Composer } from 'grammy';
import { decodeCallbackData } from '../presentation/callback-data.js';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { contextHtml } from '../presentation/format.js';
import { replyHtml } from '../telegram/reply.js';

/** Paragraphs shown on each side of the quoted one. */
const RADIUS = 1;

export function contextFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.callbackQuery(/^ctx:/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const answerMessage = ctx.callbackQuery.message;
    const html = await holder.use(async (engine) => {
      const quoted = data?.kind === 'ctx' ? await engine.reader.paragraphByHash(data.hash) : null;
      return quoted && contextHtml(await engine.context(quoted.paragraphId, RADIUS), quoted.paragraphId, ctx.m);
    });
    if (!html || !answerMessage) {
      await ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await replyHtml(ctx, html, answerMessage.message_id);
  });
  return feature;
}
