/**
 * The console chat, for when there is no Telegram token: questions and
 * commands on stdin (commands.ts), answers in plain text on stdout, through
 * the same answer.ts and presentation as the bot. Interactive with a prompt on
 * a terminal; with a pipe it answers each line and ends at end of input.
 * `+`, `-` and `!N name` after an answer are reader feedback (feedback.ts).
 *
 * Log lines never bury the prompt: the chat is created before the index is
 * opened and shows its prompt only once start-up is done (its log lines, the
 * model note and the corpus warnings come first); a line logged later (an
 * index switch, the model retry) is written above the prompt, which is drawn
 * again below it with what was typed so far.
 */
import readline from 'node:readline';
import type { EngineHolder } from '../../retrieval/api.js';
import type { Feedback } from '../feedback/open-feedback.js';
import { parseCommand } from '../presentation/commands.js';
import { feedbackMessagesFor, type FeedbackMessages } from '../presentation/feedback.js';
import { languageOf, messagesFor, type Messages } from '../presentation/i18n.js';
import { askCommand, commandByAlias, type ConsoleCommand, consoleCommands, type ConsoleSession } from './commands.js';
import { ConsoleFeedback } from './feedback.js';

export interface ConsoleStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  /** Log lines: stderr, so that piped answers stay apart from them. On a terminal both show in one place. */
  logs: NodeJS.WritableStream;
}

export class ConsoleChat {
  readonly m: Messages;
  private readonly f: FeedbackMessages;
  /** `+`, `-` and `!N name` after an answer, when the chat has somewhere to keep them. */
  private feedback: ConsoleFeedback | null = null;
  private lines: readline.Interface | null = null;
  /** Whether the prompt is on the screen, waiting for input (not while an answer is searched). */
  private prompting = false;

  constructor(
    private readonly streams: ConsoleStreams = { input: process.stdin, output: process.stdout, logs: process.stderr },
    language = languageOf(process.env.LANG),
  ) {
    this.m = messagesFor(language);
    this.f = feedbackMessagesFor(language);
    streams.output.write(`${this.m.consoleNoToken}\n\n`);
  }

  private get interactive(): boolean {
    return this.streams.input.isTTY === true;
  }

  /** Writes a log line; above the prompt while the prompt is shown. */
  readonly log = (line: string): void => {
    const { lines } = this;
    if (!lines || !this.prompting) {
      this.streams.logs.write(`${line}\n`);
      return;
    }
    // Up to the prompt's first row, and clear it and what was typed after it.
    const { output } = this.streams;
    const rows = lines.getCursorPos().rows;
    readline.moveCursor(output, 0, -rows);
    readline.cursorTo(output, 0);
    readline.clearScreenDown(output);
    this.streams.logs.write(`${line}\n`);
    // readline redraws from `rows` rows above the cursor: room for that, so the log line stays.
    output.write('\n'.repeat(rows));
    lines.prompt(true);
  };

  /** Reads lines until the end of input (Ctrl+D), Ctrl+C or /quit, then closes the index (and the feedback store). */
  async run(holder: EngineHolder, feedback: Feedback | null = null): Promise<void> {
    this.feedback = feedback && new ConsoleFeedback(feedback, this.f);
    const { input, output } = this.streams;
    const interactive = this.interactive;
    const lines = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
    this.lines = lines;
    lines.on('SIGINT', () => lines.close());
    lines.on('line', () => (this.prompting = false));
    lines.setPrompt(this.m.consolePrompt);
    const session: ConsoleSession = {
      holder,
      m: this.m,
      print: (text) => output.write(`${text}\n\n`),
      next: null,
      lastAnswer: null,
      quit: () => lines.close(),
      answered: (answer) => this.feedback?.shown(answer) ?? null,
    };
    this.prompt();
    try {
      for await (const line of lines) {
        try {
          await this.handle(line, session);
        } catch (error) {
          // One line that fails (the index unreadable for a moment) does not end the chat.
          this.log(`error: ${(error as Error).stack ?? String(error)}`);
          session.print(this.m.sorry);
        }
        this.prompt();
      }
    } finally {
      this.prompting = false;
      this.lines = null;
      await holder.close();
      await feedback?.store.close();
    }
  }

  private prompt(): void {
    if (!this.interactive || !this.lines) return;
    this.prompting = true;
    this.lines.prompt();
  }

  /** A line → the command it names, or a question. An empty line pages on a terminal; in a piped file it only separates. */
  private async handle(line: string, session: ConsoleSession): Promise<void> {
    const text = line.trim();
    if (text === '') {
      if (this.interactive && session.next) await session.next();
      return;
    }
    const feedback = await this.feedback?.handle(text);
    if (feedback) return session.print(feedback);
    if (text.startsWith('/')) {
      const parsed = parseCommand(text);
      const command = parsed && consoleCommands.get(parsed.name);
      if (command) await this.runCommand(command, parsed.args, session);
      else session.print(this.m.unknownCommand);
      return;
    }
    const aliased = commandByAlias(text);
    await (aliased ? this.runCommand(aliased, '', session) : this.runCommand(askCommand, text, session));
  }

  /** Runs a command; "more" afterwards pages what it showed, or says there is nothing more (see ConsoleCommand.keepsPaging). */
  private async runCommand(command: ConsoleCommand, args: string, session: ConsoleSession): Promise<void> {
    if (!command.keepsPaging) session.next = null;
    await command.run(args, session);
  }
}
