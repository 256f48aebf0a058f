/**
 * The console's command table: `/name arguments` runs the command of that
 * name, a line that is one of a command's aliases alone ("more", "更多") runs
 * it too, and any other line is a question (see chat.ts). Every command the
 * bot has (presentation/commands.ts) must be here — the type of `shared` says
 * so — and gives the same reply, rendered as plain text; the console-only ones
 * stand in for the bot's buttons.
 *
 * To add a command: an entry in `shared` when the bot has it too (its name and
 * description go into i18n's `commands`, which also puts it into Telegram's
 * menu and both /help texts), else in `consoleOnly` (description in i18n's
 * `consoleCommands`).
 */
import { exampleQuestions, type EngineHolder, type SearchEngine, type SearchHit } from '../../retrieval/api.js';
import { findAnswer, findContext, RESULTS_PER_PAGE } from '../answer.js';
import { HASH_PREFIX_LENGTH } from '../presentation/callback-data.js';
import type { CommandName } from '../presentation/commands.js';
import { aboutHtml, type Answer, answerText, nextPageOffset, sourcesHtml, speakerPages, speakersHtml } from '../presentation/format.js';
import type { CommandHelp, Messages } from '../presentation/i18n.js';
import { plainText } from '../presentation/plain-text.js';
import type { ViewPage } from '../presentation/research.js';
import { compareView, profileView, timelineView } from '../research.js';

/** What a command can see and do: the index, the person's language, the screen, and what the chat remembers. */
export interface ConsoleSession {
  readonly holder: EngineHolder;
  readonly m: Messages;
  /** Shows text to the person (an answer, a list), followed by an empty line. */
  print(text: string): void;
  /** What "more" (or an empty line, on a terminal) shows next: the next page of the last answer or list; null when there is none. */
  next: (() => Promise<void>) | null;
  /** The last question answered with quotes, and every quote shown for it by rank (for /context, and for anything else about "the last answer"). */
  lastAnswer: { input: string; hits: Map<number, SearchHit> } | null;
  /** Ends the chat once this command is done. */
  quit(): void;
  /** Tells reader feedback (feedback.ts) which answer was shown; the hint on how to rate it, or null. */
  answered(answer: Answer): string | null;
}

export interface ConsoleCommand {
  /** Shown after `/name` in /help. */
  description: (m: Messages) => string;
  /** Lines that run the command when typed alone (case-insensitive), besides `/name`. */
  aliases?: string[];
  /**
   * Whether "more" still pages the last answer or list after this command (more itself, /context). Any other command
   * shows something else, so "more" after it pages only what it set up itself (see chat.ts), never an older list.
   */
  keepsPaging?: boolean;
  run: (args: string, session: ConsoleSession) => Promise<void> | void;
}

/** Answers `input` from result `offset` on; the next page is what "more" shows then. */
async function ask(input: string, session: ConsoleSession, offset = 0): Promise<void> {
  const { m } = session;
  const answer = await session.holder.use((engine) => findAnswer(engine, input, m, offset));
  session.next = null;
  const rating = session.answered(answer);
  if (answer.kind !== 'found') {
    session.print(rating ? `${answerText(answer, m)}\n\n» ${rating}` : answerText(answer, m));
    return;
  }
  if (offset === 0 || session.lastAnswer?.input !== input) session.lastAnswer = { input, hits: new Map() };
  for (const hit of answer.hits) session.lastAnswer.hits.set(hit.rank, hit);
  const next = nextPageOffset(answer, answer.hits.length);
  const hints = [m.consoleContext, ...(rating ? [rating] : [])];
  if (next !== null) {
    hints.unshift(m.consoleMore(next + 1, Math.min(next + RESULTS_PER_PAGE, answer.total), answer.total));
    session.next = () => ask(input, session, next);
  }
  session.print(`${answerText(answer, m)}\n\n» ${hints.join(' · ')}`);
}

/** A page of a view (/timeline, /compare) from `offset` on; the next page is what "more" shows then. */
async function showView(session: ConsoleSession, view: (engine: SearchEngine, offset: number) => Promise<ViewPage>, offset = 0): Promise<void> {
  const { m } = session;
  const page = await session.holder.use((engine) => view(engine, offset));
  const { next } = page;
  session.next = next === null ? null : () => showView(session, view, next);
  session.print(next === null ? plainText(page.html) : `${plainText(page.html)}\n\n» ${m.consoleMoreView}`);
}

function showSpeakers(page: number, session: ConsoleSession): void {
  const { m } = session;
  const { speakers } = session.holder.current.catalogue;
  const { current, pages } = speakerPages(speakers, page);
  const text = plainText(speakersHtml(speakers, current, m).html);
  session.next = current < pages ? async () => showSpeakers(current + 1, session) : null;
  session.print(current < pages ? `${text}\n\n» ${m.consoleNextPage(current + 1, pages)}` : text);
}

const shared: Record<CommandName, ConsoleCommand> = {
  start: {
    description: (m) => m.commands.start,
    run: (_, { holder, m, print }) => {
      const { catalogue, examples } = holder.current;
      const questions = exampleQuestions(examples).map((question) => `  ${question}`);
      print([plainText(m.startHtml(catalogue.counts, 'console')), '', m.consoleExamples, ...questions].join('\n'));
    },
  },
  help: {
    description: (m) => m.commands.help,
    run: (_, { holder, m, print }) => print(plainText(m.helpHtml(holder.current.examples, consoleCommandHelp(m), 'console'))),
  },
  ask: {
    description: (m) => m.commands.ask,
    run: (args, session) => (args === '' ? session.print(session.m.askUsage(session.holder.current.examples)) : ask(args, session)),
  },
  speakers: {
    description: (m) => m.commands.speakers,
    run: (args, session) => showSpeakers(Number.parseInt(args, 10) || 1, session),
  },
  sources: {
    description: (m) => m.commands.sources,
    // No message limit here: the whole list.
    run: (_, { holder, m, print }) => print(plainText(sourcesHtml(holder.current.catalogue.documents, m, Infinity))),
  },
  about: {
    description: (m) => m.commands.about,
    run: (_, { holder, m, print }) => print(plainText(aboutHtml(holder.current, m))),
  },
  timeline: {
    description: (m) => m.commands.timeline,
    run: (args, session) => showView(session, (engine, offset) => timelineView(engine, args, session.m, offset)),
  },
  speaker: {
    description: (m) => m.commands.speaker,
    // The bot's buttons ask within the speaker's passages; here they are questions to type.
    run: async (args, { holder, m, print }) => {
      const { html, questions } = await holder.use((engine) => profileView(engine, args, m));
      print(questions.length > 0 ? `${plainText(html)}\n\n» ${m.consoleAskWithin(questions)}` : plainText(html));
    },
  },
  compare: {
    description: (m) => m.commands.compare,
    run: (args, session) => showView(session, (engine, offset) => compareView(engine, args, session.m, offset)),
  },
};

const consoleOnly: Record<keyof Messages['consoleCommands'], ConsoleCommand> = {
  more: {
    description: (m) => m.consoleCommands.more,
    aliases: ['more', '更多', 'next'],
    keepsPaging: true,
    run: async (_, session) => {
      if (session.next) await session.next();
      else session.print(session.m.consoleNothingMore);
    },
  },
  context: {
    description: (m) => m.consoleCommands.context,
    keepsPaging: true,
    run: async (args, { holder, m, print, lastAnswer }) => {
      const hit = lastAnswer?.hits.get(Number.parseInt(args, 10));
      if (!hit) return print(m.consoleNoQuote(args));
      const html = await holder.use((engine) => findContext(engine, hit.contentHash.slice(0, HASH_PREFIX_LENGTH), m));
      print(html ? plainText(html) : m.expired);
    },
  },
  quit: {
    description: (m) => m.consoleCommands.quit,
    aliases: ['quit', 'exit', '退出'],
    run: (_, session) => session.quit(),
  },
};

/** Name → command: the shared ones first, in the bot's menu order. */
export const consoleCommands: ReadonlyMap<string, ConsoleCommand> = new Map(Object.entries({ ...shared, ...consoleOnly }));

/** The console's commands as /help lists them. */
export function consoleCommandHelp(m: Messages): CommandHelp[] {
  return [...consoleCommands].map(([name, command]) => ({ name, description: command.description(m) }));
}

/** The command a whole line names by one of its aliases, if any. */
export function commandByAlias(line: string): ConsoleCommand | undefined {
  const word = line.trim().toLowerCase();
  return [...consoleCommands.values()].find((command) => command.aliases?.includes(word));
}

/** What a line that is no command asks: the question. */
export const askCommand = shared.ask;
