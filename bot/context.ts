/** The grammY context of this bot: every update carries the strings of its user's language. */
import type { Context } from 'grammy';
import type { Messages } from './i18n.js';

export type BotContext = Context & { m: Messages };
