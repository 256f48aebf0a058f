/**
 * "More results": the next page of an answer. The question is read again from
 * the message the answer replies to, so the button needs no server-side state
 * and keeps working after restarts, until that message is gone.
 */
import { Composer } from 'grammy';
import { decodeCallbackData } from '../presentation/callback-data.js';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { questionText } from '../telegram/question-text.js';
import { replyWithAnswer } from './ask.js';

export function moreFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.callbackQuery(/^more:/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const asked = ctx.callbackQuery.message?.reply_to_message;
    const question = asked ? questionText(asked, ctx.me.username) : '';
    if (data?.kind !== 'more' || !asked || question === '') {
      await ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await replyWithAnswer(ctx, holder, question, asked.message_id, data.offset);
  });
  return feature;
}
