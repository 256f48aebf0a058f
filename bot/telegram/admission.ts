/**
 * Which updates enter the queue, and in what order they are handled.
 *
 * - Only what the bot will answer: messages in private chats; in groups
 *   commands, mentions of the bot and replies to it; button presses; inline
 *   queries. The rest (group chatter, edits, other update types) is dropped here.
 * - Each chat's updates are handled one after the other (the runner's
 *   `sequentialize`), at most `perChat` waiting; past that the question is
 *   refused with a notice that says so, never silently.
 * - Searches (`ctx.search`) run in the fair scheduler: a global limit on
 *   concurrent searches, ordered by each user's own pace. Sending the reply is
 *   outside that limit, so a chat whose replies Telegram refuses for a while
 *   (retried, see retry.ts) holds up only itself.
 * - Inline queries come with every keystroke: only a user's latest one after a
 *   short pause is searched.
 */
import { sequentialize } from '@grammyjs/runner';
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from './context.js';
import { FairScheduler } from './fair-scheduler.js';
import { escapeHtml } from '../presentation/html.js';
import { mentionsBot } from './question-text.js';
import { replyHtml } from './reply.js';

export interface AdmissionSettings {
  /** Updates of one chat waiting or being handled; more are refused with a notice. */
  perChat: number;
  /** Searches running at the same time. */
  concurrency: number;
  /** The interval at which a user's questions are treated as human-paced (seconds). */
  paceSeconds: number;
  /** Pause after an inline query before it is searched, unless a newer one from the same user came (ms). */
  inlineDebounceMs: number;
}

export const DEFAULT_ADMISSION: AdmissionSettings = { perChat: 40, concurrency: 2, paceSeconds: 1, inlineDebounceMs: 300 };

/** Whether the bot will do anything with this update. */
export function isForBot(ctx: BotContext): boolean {
  if (ctx.callbackQuery || ctx.inlineQuery) return true;
  const message = ctx.message;
  if (!message) return false;
  if (message.chat.type === 'private') return true;
  // A command is for this bot unless it names another one (/ask@other_bot).
  const command = /^\/\w+(?:@(\w+))?/.exec(message.text ?? '');
  if (command) return command[1] === undefined || command[1].toLowerCase() === ctx.me.username.toLowerCase();
  return mentionsBot(message, ctx.me.username) || message.reply_to_message?.from?.id === ctx.me.id;
}

export class Admission {
  readonly scheduler: FairScheduler;
  private readonly pending = new Map<string, number>();
  private readonly latestInline = new Map<number, string>();
  private readonly sequential = sequentialize<BotContext>((ctx) => chatKey(ctx));

  constructor(private readonly settings: AdmissionSettings) {
    this.scheduler = new FairScheduler(settings.concurrency, settings.paceSeconds);
  }

  /** Updates admitted and not yet finished, over all chats. */
  get depth(): number {
    let total = 0;
    for (const count of this.pending.values()) total += count;
    return total;
  }

  readonly middleware: MiddlewareFn<BotContext> = async (ctx, next) => {
    if (!isForBot(ctx)) {
      ctx.report.outcome = 'ignored';
      return;
    }
    const user = String(ctx.from?.id ?? 0);
    const sentAt = ctx.message?.date ?? Date.now() / 1000;
    ctx.search = (work) => this.scheduler.run(user, sentAt, work);
    if (ctx.inlineQuery) {
      if (await this.superseded(ctx.inlineQuery.from.id, ctx.inlineQuery.id)) {
        ctx.report.outcome = 'superseded';
        return;
      }
      return next();
    }
    const chat = chatKey(ctx)!;
    const waiting = this.pending.get(chat) ?? 0;
    if (waiting >= this.settings.perChat) return this.refuse(ctx, waiting);
    this.pending.set(chat, waiting + 1);
    try {
      await this.sequential(ctx, next);
    } finally {
      const left = (this.pending.get(chat) ?? 1) - 1;
      if (left > 0) this.pending.set(chat, left);
      else this.pending.delete(chat);
    }
  };

  private async refuse(ctx: BotContext, waiting: number) {
    ctx.report.outcome = 'refused';
    const notice = ctx.m.queueFull(waiting);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: notice, show_alert: true });
    else if (ctx.message) await replyHtml(ctx, escapeHtml(notice), ctx.message.message_id);
  }

  /** Waits the debounce pause; true if a newer inline query of the same user arrived meanwhile. */
  private async superseded(userId: number, queryId: string): Promise<boolean> {
    this.latestInline.set(userId, queryId);
    await new Promise((resolve) => setTimeout(resolve, this.settings.inlineDebounceMs));
    if (this.latestInline.get(userId) !== queryId) return true;
    this.latestInline.delete(userId);
    return false;
  }
}

function chatKey(ctx: BotContext): string | undefined {
  const chat = ctx.chat ?? ctx.callbackQuery?.message?.chat;
  return chat ? String(chat.id) : ctx.from ? `user:${ctx.from.id}` : undefined;
}
