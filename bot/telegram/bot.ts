/**
 * The Telegram bot: grammY with bounded retries of every outgoing call, the
 * user's language on every update, admission by queueing (admission.ts), one
 * Composer per feature, and an error boundary that logs and apologises.
 */
import { Bot, BotError, Context, GrammyError, HttpError } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { Admission, type AdmissionSettings } from './admission.js';
import type { BotConfig } from './config.js';
import type { BotContext } from './context.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { aboutFeature } from '../features/about.js';
import { askFeature } from '../features/ask.js';
import { compareFeature } from '../features/compare.js';
import { contextFeature } from '../features/context.js';
import { feedbackFeature } from '../features/feedback.js';
import type { Feedback } from '../feedback/open-feedback.js';
import { helpFeature } from '../features/help.js';
import { inlineFeature } from '../features/inline.js';
import { moreFeature } from '../features/more.js';
import { sourcesFeature } from '../features/sources.js';
import { speakerFeature } from '../features/speaker.js';
import { speakersFeature } from '../features/speakers.js';
import { startFeature } from '../features/start.js';
import { timelineFeature } from '../features/timeline.js';
import { unhandledFeature } from '../features/unhandled.js';
import { escapeHtml } from '../presentation/html.js';
import { languageOf, messagesFor } from '../presentation/i18n.js';
import type { Logger } from './log.js';
import { BotMetrics } from './metrics.js';
import { observe } from './observe.js';
import { replyHtml } from './reply.js';
import { retryTransformer, type RetryPolicy } from './retry.js';

export interface BotParts {
  bot: Bot<BotContext>;
  metrics: BotMetrics;
}

export interface BotOptions {
  admission: AdmissionSettings;
  retry: RetryPolicy;
  /** Who the bot is, as getMe said at start-up (connect.ts). */
  botInfo: UserFromGetMe;
  /** Where readers' votes and flags are kept (bot/feedback/). */
  feedback: Feedback;
}

/** An error for a log line, with the token blotted out in case a URL made it into the message. */
export function describeError(error: unknown, token: string): string {
  const text =
    error instanceof GrammyError ? `Telegram refused ${error.method}: ${error.description}`
    : error instanceof HttpError ? `network error: ${error.message}`
    : error instanceof Error ? (error.stack ?? error.message)
    : String(error);
  return text.replaceAll(token, '<token>');
}

export function createBot(config: BotConfig & { token: string }, holder: EngineHolder, logger: Logger, options: BotOptions): BotParts {
  const bot = new Bot<BotContext>(config.token, { client: { apiRoot: config.apiRoot }, botInfo: options.botInfo });
  bot.api.config.use(
    retryTransformer(options.retry, (method, attempt, why, delayMs) =>
      logger.warn({ method, attempt, reason: why.reason, delayMs }, 'Telegram call failed; retrying'),
    ),
  );
  const admission = new Admission(options.admission);
  const metrics = new BotMetrics(
    () => admission.depth,
    () => Math.floor(Date.parse(holder.current.manifest.builtAt) / 1000),
  );

  bot.use(observe(logger, metrics));
  bot.use((ctx, next) => {
    ctx.m = messagesFor(languageOf(ctx.from?.language_code));
    return next();
  });
  bot.use(admission.middleware);

  // Before /start and questions: a deep link's /start and a reply naming a speaker are feedback.
  bot.use(feedbackFeature(holder, options.feedback, (kind) => metrics.feedback.inc({ kind })));
  bot.use(startFeature(holder), helpFeature(holder), askFeature(holder), speakersFeature(holder), sourcesFeature(holder), aboutFeature(holder));
  bot.use(moreFeature(holder), contextFeature(holder), inlineFeature(holder));
  bot.use(timelineFeature(holder), speakerFeature(holder), compareFeature(holder));
  bot.use(unhandledFeature());

  bot.catch(async ({ ctx, error }) => {
    logger.error({ update: ctx.update.update_id, error: describeError(error, config.token) }, 'gave up on the update');
    await apologise(ctx, logger, config.token);
  });

  return { bot, metrics };
}

/** Tells the user their update failed: a notice on a button press, a reply to a message; logged if even that fails. */
async function apologise(ctx: BotContext, logger: Logger, token: string): Promise<void> {
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.m.sorry });
    else if (ctx.msg && ctx.chat) await replyHtml(ctx, escapeHtml(ctx.m.sorry), ctx.msg.message_id);
  } catch (apologyError) {
    logger.error({ update: ctx.update.update_id, error: describeError(apologyError, token) }, 'could not apologise');
  }
}

/**
 * The apology for an update the bot never got through (handling it ended the process every time, bot/inbox/): sent
 * without running any of the bot's middleware, so that what ended the process cannot end it again.
 */
export async function apologiseUnhandled(bot: Bot<BotContext>, update: Update, logger: Logger, token: string): Promise<void> {
  const ctx = new Context(update, bot.api, bot.botInfo) as BotContext;
  ctx.m = messagesFor(languageOf(ctx.from?.language_code));
  await apologise(ctx, logger, token);
}

/**
 * Handles one update the way @grammyjs/runner does, so that every way an update arrives ends alike: an error goes to
 * the bot's error handler (bot.catch above: logged with the update id, and the apology). bot.handleUpdate alone
 * would skip it.
 */
export async function handleUpdate(bot: Bot<BotContext>, update: Update): Promise<void> {
  try {
    await bot.handleUpdate(update);
  } catch (error) {
    if (!(error instanceof BotError)) throw error;
    await bot.errorHandler(error as BotError<BotContext>);
  }
}
