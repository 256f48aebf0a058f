/** /speakers: who speaks in the corpus and how much, a page at a time. */
import { Composer } from 'grammy';
import { decodeCallbackData } from '../presentation/callback-data.js';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { speakersHtml } from '../presentation/format.js';
import { keyboardOf, replyHtml } from '../telegram/reply.js';

export function speakersFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command('speakers', async (ctx) => {
    const { html, buttons } = speakersHtml(holder.current.catalogue.speakers, 1, ctx.m);
    await replyHtml(ctx, html, ctx.msg.message_id, buttons);
  });

  // Turning the page edits the list in place rather than adding a message per page.
  feature.callbackQuery(/^spk:/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    if (data?.kind !== 'spk' || !ctx.callbackQuery.message) {
      await ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true });
      return;
    }
    const { html, buttons } = speakersHtml(holder.current.catalogue.speakers, data.page, ctx.m);
    await ctx.answerCallbackQuery();
    const keyboard = keyboardOf(buttons);
    await ctx.editMessageText(html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
  });

  return feature;
}
