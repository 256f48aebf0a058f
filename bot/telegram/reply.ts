/** How every message of the bot is sent: HTML, as a reply to what it answers, without link previews. */
import { InlineKeyboard } from 'grammy';
import type { BotContext } from './context.js';
import type { Button } from '../presentation/format.js';

export function keyboardOf(buttons: Button[][]): InlineKeyboard | undefined {
  if (buttons.every((row) => row.length === 0)) return undefined;
  return InlineKeyboard.from(buttons.filter((row) => row.length > 0).map((row) => row.map((b) => InlineKeyboard.text(b.text, b.data))));
}

/** Sends `html` to the chat of the update as a reply to message `replyTo` (still sent if that message was deleted). */
export function replyHtml(ctx: BotContext, html: string, replyTo: number, buttons: Button[][] = []) {
  const keyboard = keyboardOf(buttons);
  return ctx.reply(html, {
    parse_mode: 'HTML',
    reply_parameters: { message_id: replyTo, allow_sending_without_reply: true },
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  });
}
