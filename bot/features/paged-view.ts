/**
 * A command whose reply is a view with pages (/timeline, /compare): the
 * command, and its "More results" button. As for answers (more.ts), the
 * command is read again from the message the page replies to, so the button
 * needs no server-side state and keeps working after restarts.
 */
import { Composer } from 'grammy';
import type { EngineHolder, SearchEngine } from '../../retrieval/api.js';
import { decodeCallbackData } from '../presentation/callback-data.js';
import type { Messages } from '../presentation/i18n.js';
import type { ViewPage } from '../presentation/research.js';
import type { BotContext } from '../telegram/context.js';
import { questionText } from '../telegram/question-text.js';
import { replyHtml } from '../telegram/reply.js';

export type PagedView = (engine: SearchEngine, args: string, m: Messages, offset: number) => Promise<ViewPage>;

export function pagedViewFeature(command: 'timeline' | 'compare', page: 'tl' | 'cmp', holder: EngineHolder, view: PagedView): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  const reply = async (ctx: BotContext, args: string, replyTo: number, offset: number) => {
    const { html, buttons } = await ctx.search(() => holder.use((engine) => view(engine, args, ctx.m, offset)));
    await replyHtml(ctx, html, replyTo, buttons);
  };

  feature.command(command, (ctx) => reply(ctx, questionText(ctx.msg, ctx.me.username), ctx.msg.message_id, 0));

  feature.callbackQuery(new RegExp(`^${page}:`), async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const asked = ctx.callbackQuery.message?.reply_to_message;
    if (data?.kind !== page || !asked) {
      await ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await reply(ctx, questionText(asked, ctx.me.username), asked.message_id, data.offset);
  });

  return feature;
}
