/**
 * "Context n": the paragraphs before and after a quote, found by its content hash so that re-indexing keeps it
 * valid, with a button to say its speaker is wrong.
 */
import { Composer } from 'grammy';
import { findContext } from '../answer.js';
import { decodeCallbackData } from '../presentation/callback-data.js';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { feedbackMessagesFor, speakerWrongButton } from '../presentation/feedback.js';
import { languageOf } from '../presentation/i18n.js';
import { replyHtml } from '../telegram/reply.js';

export function contextFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.callbackQuery(/^ctx:/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const answerMessage = ctx.callbackQuery.message;
    const quoted = data?.kind === 'ctx' ? data.hash : null;
    const html = quoted ? await holder.use((engine) => findContext(engine, quoted, ctx.m)) : null;
    if (!quoted || !html || !answerMessage) {
      await ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    // The quote is seen whole here, with its speaker: the place to say the speaker is wrong (features/feedback.ts).
    const flag = speakerWrongButton(quoted, feedbackMessagesFor(languageOf(ctx.from.language_code)));
    await replyHtml(ctx, html, answerMessage.message_id, [[flag]]);
  });
  return feature;
}
