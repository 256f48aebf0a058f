/**
 * The commands the bot and the console chat share. Their names are the keys of
 * `m.commands` (i18n.ts), so a command is added once, with its description in
 * both languages: Telegram's command menu, /help and the console's command
 * table (which must handle every one, see bot/console/commands.ts) all read
 * this list.
 */
import type { CommandHelp, Messages } from './i18n.js';

export type CommandName = keyof Messages['commands'];

/** The shared commands with their descriptions in the language of `m`, in menu order. */
export function sharedCommands(m: Messages): CommandHelp[] {
  return Object.entries(m.commands).map(([name, description]) => ({ name, description }));
}

/** `/name arguments` → the command's name (lower case) and the rest, or null when the text is no command. */
export function parseCommand(text: string): { name: string; args: string } | null {
  const match = /^\/([a-z_][a-z0-9_]*)(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return match ? { name: match[1]!.toLowerCase(), args: (match[2] ?? '').trim() } : null;
}
