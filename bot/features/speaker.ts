/**
 * /speaker <name>: a speaker's profile, with buttons that ask the speaker's
 * distinctive terms within their passages. A button reads the name again from
 * the /speaker message the profile replies to (no server-side state).
 */
import { Composer } from 'grammy';
import type { EngineHolder } from '../../retrieval/api.js';
import { decodeCallbackData } from '../presentation/callback-data.js';
import { profileView } from '../research.js';
import type { BotContext } from '../telegram/context.js';
import { questionText } from '../telegram/question-text.js';
import { replyHtml } from '../telegram/reply.js';
import { askInChat } from './ask.js';

export function speakerFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command('speaker', async (ctx) => {
    const name = questionText(ctx.msg, ctx.me.username);
    const { html, buttons } = await ctx.search(() => holder.use((engine) => profileView(engine, name, ctx.m)));
    await replyHtml(ctx, html, ctx.msg.message_id, buttons);
  });

  feature.callbackQuery(/^sq:/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const profileMessage = ctx.callbackQuery.message;
    const asked = profileMessage?.reply_to_message;
    const name = asked ? questionText(asked, ctx.me.username) : '';
    const { questions } = name === '' ? { questions: [] } : await ctx.search(() => holder.use((engine) => profileView(engine, name, ctx.m)));
    const question = data?.kind === 'sq' ? questions[data.example] : undefined;
    if (!question || !profileMessage) {
      await ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    await askInChat(ctx, holder, question, profileMessage.message_id);
  });

  return feature;
}
