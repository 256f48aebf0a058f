/**
 * Questions: /ask <question> anywhere; in private chats also plain text; in
 * groups also messages that mention the bot or reply to it (the rest of a
 * group's talk is not for the bot).
 */
import { Composer } from 'grammy';
import { findAnswer } from '../answer.js';
import type { BotContext } from '../telegram/context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { answerHtml } from '../presentation/format.js';
import { withVoteRow } from '../presentation/feedback.js';
import { escapeHtml } from '../presentation/html.js';
import { mentionsBot, questionText } from '../telegram/question-text.js';
import { replyHtml } from '../telegram/reply.js';

/** Answers `question` (results from `offset` on) as a reply to message `replyTo`. */
export async function replyWithAnswer(ctx: BotContext, holder: EngineHolder, question: string, replyTo: number, offset = 0) {
  const answer = await ctx.search(() => holder.use((engine) => findAnswer(engine, question, ctx.m, offset)));
  ctx.report = answer.kind === 'found' ? { outcome: 'answered', results: answer.hits.length } : { outcome: answer.kind, results: 0 };
  const { html, buttons } = answerHtml(answer, ctx.m);
  // Every answer can be rated, a not-found one too (👎 there says the corpus does answer it); a hint is no answer.
  await replyHtml(ctx, html, replyTo, answer.kind === 'hint' ? buttons : withVoteRow(buttons, answer.kind === 'found' ? answer.offset : 0));
}

/**
 * Puts `question` into the chat as a message of its own (a reply to `replyTo`) and answers it: an example or a
 * profile's button asks this way, so that "More results" reads the question from there.
 */
export async function askInChat(ctx: BotContext, holder: EngineHolder, question: string, replyTo: number) {
  const asked = await replyHtml(ctx, escapeHtml(question), replyTo);
  await replyWithAnswer(ctx, holder, question, asked.message_id);
}

export function askFeature(holder: EngineHolder): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command('ask', async (ctx) => {
    const question = questionText(ctx.msg, ctx.me.username);
    if (question === '') await replyHtml(ctx, escapeHtml(ctx.m.askUsage(holder.current.examples)), ctx.msg.message_id);
    else await replyWithAnswer(ctx, holder, question, ctx.msg.message_id);
  });

  feature.on('message:text', async (ctx, next) => {
    if (ctx.msg.text.startsWith('/')) return next(); // another command: unhandled.ts explains
    const repliesToBot = ctx.msg.reply_to_message?.from?.id === ctx.me.id;
    if (ctx.chat.type !== 'private' && !mentionsBot(ctx.msg, ctx.me.username) && !repliesToBot) return;
    await replyWithAnswer(ctx, holder, questionText(ctx.msg, ctx.me.username), ctx.msg.message_id);
  });

  return feature;
}
