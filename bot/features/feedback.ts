/**
 * Readers correct the bot: 👍/👎 under every answer (a second tap changes the
 * vote), "speaker wrong?" on a quote's context and on inline results, and the
 * right name sent in reply to the prompt that follows (optional). Buttons
 * carry what they are about (callback-data.ts): a vote reads the question
 * from the message the answer replies to and the quotes from the answer's
 * context buttons, as "more results" does, so any replica handles any press.
 * The prompt's only state is a pseudonym of its message on the stored flag:
 * a reply to a prompt nobody knows (any more) is just a message to the bot.
 */
import { Composer } from 'grammy';
import type { InlineKeyboardMarkup, MaybeInaccessibleMessage } from 'grammy/types';
import type { EngineHolder, StoredParagraph } from '../../retrieval/api.js';
import type { Feedback } from '../feedback/open-feedback.js';
import type { FeedbackChannel, ShownPassage, Vote } from '../feedback/feedback-store.js';
import { decodeCallbackData } from '../presentation/callback-data.js';
import { feedbackMessagesFor, NAME_LINK_PREFIX, nameLink, type FeedbackMessages } from '../presentation/feedback.js';
import { escapeHtml } from '../presentation/html.js';
import { languageOf } from '../presentation/i18n.js';
import type { BotContext } from '../telegram/context.js';
import { questionText } from '../telegram/question-text.js';
import { replyHtml } from '../telegram/reply.js';

/** What bot_feedback_total counts: votes given or changed, speakers flagged, names suggested. */
export type FeedbackKind = 'up' | 'down' | 'speaker' | 'name';

const messagesOf = (ctx: BotContext): FeedbackMessages => feedbackMessagesFor(languageOf(ctx.from?.language_code));

/** Telegram no longer gives the content of a message older than 48 hours: it comes with date 0. */
function accessible(message: MaybeInaccessibleMessage | undefined) {
  return message && message.date !== 0 ? (message as Extract<MaybeInaccessibleMessage, { date: number }> & { reply_markup?: InlineKeyboardMarkup }) : undefined;
}

/** The content-hash prefixes of an answer's quotes, in order: the data of its context buttons. */
function quotedHashes(keyboard: InlineKeyboardMarkup | undefined): string[] {
  return (keyboard?.inline_keyboard ?? []).flat().flatMap((button) => {
    const data = 'callback_data' in button ? decodeCallbackData(button.callback_data) : null;
    return data?.kind === 'ctx' ? [data.hash] : [];
  });
}

export function feedbackFeature(holder: EngineHolder, { store, pseudonyms }: Feedback, counted: (kind: FeedbackKind) => void): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  const paragraphOf = (hash: string) => holder.use((engine) => engine.reader.paragraphByHash(hash));

  /** Full content hashes where the index still has the paragraph (else the prefix the button held), with their ranks. */
  const shownPassages = (prefixes: string[], offset: number): Promise<ShownPassage[]> =>
    Promise.all(prefixes.map(async (prefix, i) => ({ hash: (await paragraphOf(prefix))?.contentHash ?? prefix, position: offset + i + 1 })));

  async function vote(ctx: BotContext, record: { answerKey: string; channel: FeedbackChannel; question: string | null; shown: ShownPassage[]; vote: Vote }) {
    const outcome = await store.vote({ ...record, userHash: pseudonyms.user(ctx.from!.id) });
    if (outcome !== 'same') counted(record.vote === 1 ? 'up' : 'down');
    await ctx.answerCallbackQuery({ text: messagesOf(ctx).voteNoted(record.vote, outcome) });
  }

  const expired = (ctx: BotContext) => ctx.answerCallbackQuery({ text: ctx.m.expired, show_alert: true });

  // 👍/👎 under an answer in a chat.
  feature.callbackQuery(/^(up|dn):/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const answer = accessible(ctx.callbackQuery.message);
    if ((data?.kind !== 'up' && data?.kind !== 'dn') || !answer) return expired(ctx);
    const asked = answer.reply_to_message;
    await vote(ctx, {
      answerKey: pseudonyms.message(answer.chat.id, answer.message_id),
      channel: answer.chat.type,
      question: (asked && questionText(asked, ctx.me.username)) || null,
      shown: await shownPassages(quotedHashes(answer.reply_markup), data.offset),
      vote: data.kind === 'up' ? 1 : -1,
    });
  });

  // 👍/👎 on an inline result: one quote; the question stayed with whoever typed it, and the chat is not known.
  feature.callbackQuery(/^(iup|idn):/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const inlineMessage = ctx.callbackQuery.inline_message_id;
    if ((data?.kind !== 'iup' && data?.kind !== 'idn') || !inlineMessage) return expired(ctx);
    await vote(ctx, {
      answerKey: pseudonyms.inlineMessage(inlineMessage),
      channel: 'inline',
      question: null,
      shown: await shownPassages([data.hash], 0),
      vote: data.kind === 'iup' ? 1 : -1,
    });
  });

  async function flag(ctx: BotContext, paragraph: StoredParagraph, channel: FeedbackChannel): Promise<'new' | 'again'> {
    const outcome = await store.flag({
      contentHash: paragraph.contentHash,
      userHash: pseudonyms.user(ctx.from!.id),
      channel,
      speakerShown: paragraph.speaker?.name ?? null,
      attributionShown: paragraph.speaker?.attribution ?? null,
    });
    if (outcome === 'new') counted('speaker');
    return outcome;
  }

  /** Asks for the right name with a forced reply (in a group, only the reader who flagged is asked); the flag waits for it. */
  async function askForName(ctx: BotContext, paragraph: StoredParagraph, replyTo: number) {
    const from = ctx.from!;
    const mention = ctx.chat?.type === 'private' ? '' : `<a href="tg://user?id=${from.id}">${escapeHtml(from.first_name)}</a> `;
    const f = messagesOf(ctx);
    const prompt = await ctx.reply(f.namePromptHtml(paragraph.speaker?.name ?? null, mention), {
      parse_mode: 'HTML',
      reply_parameters: { message_id: replyTo, allow_sending_without_reply: true },
      reply_markup: { force_reply: true, selective: true, input_field_placeholder: f.namePlaceholder },
    });
    await store.awaitName(paragraph.contentHash, pseudonyms.user(from.id), pseudonyms.message(prompt.chat.id, prompt.message_id));
  }

  // "Speaker wrong?" on a quote's context, or on an inline result.
  feature.callbackQuery(/^spw:/, async (ctx) => {
    const data = decodeCallbackData(ctx.callbackQuery.data);
    const paragraph = data?.kind === 'spw' ? await paragraphOf(data.hash) : null;
    const f = messagesOf(ctx);
    if (!paragraph) {
      await ctx.answerCallbackQuery({ text: f.staleQuote, show_alert: true });
      return;
    }
    const message = accessible(ctx.callbackQuery.message);
    const outcome = await flag(ctx, paragraph, message ? message.chat.type : 'inline');
    if (!message) {
      // No chat to ask in (an inline result, or a message too old to reply to): the private chat asks, through a link.
      await ctx.answerCallbackQuery({ url: nameLink(ctx.me.username, paragraph.contentHash) });
      return;
    }
    await ctx.answerCallbackQuery({ text: f.flagNoted(outcome === 'again') });
    await askForName(ctx, paragraph, message.message_id);
  });

  // The link above: /start spw-<hash> in the private chat flags the quote (for whoever opens it) and asks for the name.
  feature.command('start', async (ctx, next) => {
    if (!ctx.match.startsWith(NAME_LINK_PREFIX)) return next();
    const data = decodeCallbackData(`spw:${ctx.match.slice(NAME_LINK_PREFIX.length)}`);
    const paragraph = data?.kind === 'spw' ? await paragraphOf(data.hash) : null;
    if (!paragraph) {
      await replyHtml(ctx, escapeHtml(messagesOf(ctx).staleQuote), ctx.msg.message_id);
      return;
    }
    await flag(ctx, paragraph, ctx.chat.type);
    await askForName(ctx, paragraph, ctx.msg.message_id);
  });

  // A reply to a prompt: the name. A reply to any other message of the bot goes on (it is a question).
  feature.on('message:text', async (ctx, next) => {
    const prompt = ctx.msg.reply_to_message;
    if (prompt?.from?.id !== ctx.me.id || ctx.msg.text.startsWith('/')) return next();
    const name = questionText(ctx.msg, ctx.me.username);
    const outcome = await store.suggestName(pseudonyms.message(ctx.chat.id, prompt.message_id), pseudonyms.user(ctx.from.id), name);
    if (outcome === 'unknown') return next();
    if (outcome === 'not-yours') return; // someone else's prompt in a group: not a question either
    counted('name');
    await replyHtml(ctx, escapeHtml(messagesOf(ctx).nameNoted(name)), ctx.msg.message_id);
  });

  return feature;
}
