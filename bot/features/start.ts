/** /start: what the bot does, how big the corpus is, and example questions as buttons that ask them. */
import { Composer } from 'grammy';
import { decodeCallbackData, encodeCallbackData } from '../presentation/callback-data.js';
import type { BotContext } from '../telegram/context.js';
import { type EngineHolder, exampleQuestions } from '../../retrieval/api.js';
import { replyHtml } from '../telegram/reply.js';
import { askInChat } from './ask.js';

export function startFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command('start', async (ctx) => {
    const buttons = exampleQuestions(holder.current.examples).map((question, example) => [{ text: question, data: encodeCallbackData({ kind: 'ask', example }) }]);
    await replyHtml(ctx, ctx.m.startHtml(holder.current.catalogue.counts, 'telegram'), ctx.msg.message_id, buttons);
  });

  feature.callbackQuery(/^ask:/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const question = data?.kind === 'ask' ? exampleQuestions(holder.current.examples)[data.example] : undefined;
    const startMessage = ctx.callbackQuery.message;
    if (!question || !startMessage) {
      await ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await askInChat(ctx, holder, question, startMessage.message_id);
  });

  return feature;
}
