/**
 * The Telegram bot: grammY with automatic retries (429 retry_after, 5xx), a
 * per-user rate limit, the user's language on every update, one Composer per
 * feature, and an error boundary that logs and apologises.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { limit } from '@grammyjs/ratelimiter';
import { Bot, GrammyError, HttpError } from 'grammy';
import type { BotConfig } from './config.js';
import type { BotContext } from './context.js';
import type { EngineHolder } from './engine-holder.js';
import { aboutFeature } from './features/about.js';
import { askFeature } from './features/ask.js';
import { contextFeature } from './features/context.js';
import { helpFeature } from './features/help.js';
import { inlineFeature } from './features/inline.js';
import { moreFeature } from './features/more.js';
import { sourcesFeature } from './features/sources.js';
import { speakersFeature } from './features/speakers.js';
import { startFeature } from './features/start.js';
import { unhandledFeature } from './features/unhandled.js';
import { escapeHtml } from './html.js';
import { languageOf, messagesFor, type Language } from './i18n.js';
import { InFlight } from './in-flight.js';
import { replyHtml } from './reply.js';

export interface BotParts {
  bot: Bot<BotContext>;
  inFlight: InFlight;
}

/** An error as one log line, with the token blotted out in case a URL made it into the message. */
export function describeError(error: unknown, token: string): string {
  const text =
    error instanceof GrammyError ? `Telegram refused ${error.method}: ${error.description}`
    : error instanceof HttpError ? `network error: ${error.message}`
    : error instanceof Error ? (error.stack ?? error.message)
    : String(error);
  return text.replaceAll(token, '<token>');
}

export function createBot(config: BotConfig & { token: string }, holder: EngineHolder, log: (line: string) => void): BotParts {
  const bot = new Bot<BotContext>(config.token, { client: { apiRoot: config.apiRoot } });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  const inFlight = new InFlight();

  bot.use(inFlight.middleware);
  bot.use((ctx, next) => {
    ctx.m = messagesFor(languageOf(ctx.from?.language_code));
    return next();
  });
  bot.use(
    limit<BotContext, never>({
      timeFrame: config.rateLimit.windowMs,
      limit: config.rateLimit.requests,
      // Inline queries come with every keystroke; Telegram already debounces them.
      keyGenerator: (ctx) => (ctx.inlineQuery ? undefined : ctx.from?.id.toString()),
      onLimitExceeded: async (ctx) => {
        if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.m.rateLimited });
        else if (ctx.msg) await replyHtml(ctx, escapeHtml(ctx.m.rateLimited), ctx.msg.message_id);
      },
    }),
  );

  bot.use(startFeature(holder), helpFeature(), askFeature(holder), speakersFeature(holder), sourcesFeature(holder), aboutFeature(holder));
  bot.use(moreFeature(holder), contextFeature(holder), inlineFeature(holder));
  bot.use(unhandledFeature());

  bot.catch(async ({ ctx, error }) => {
    log(`error handling update ${ctx.update.update_id}: ${describeError(error, config.token)}`);
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.m.sorry });
      else if (ctx.msg && ctx.chat) await replyHtml(ctx, escapeHtml(ctx.m.sorry), ctx.msg.message_id);
    } catch (apologyError) {
      log(`could not apologise: ${describeError(apologyError, config.token)}`);
    }
  });

  return { bot, inFlight };
}

/** The command menu, in Chinese for Chinese clients and in English for everyone else. */
export async function registerCommands(bot: Bot<BotContext>): Promise<void> {
  const commandsIn = (language: Language) =>
    Object.entries(messagesFor(language).commands).map(([command, description]) => ({ command, description }));
  await bot.api.setMyCommands(commandsIn('en'));
  await bot.api.setMyCommands(commandsIn('zh'), { language_code: 'zh' });
}
