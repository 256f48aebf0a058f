/**
 * The console chat, for when there is no Telegram token: questions on stdin,
 * answers in plain text on stdout, through the same answer.ts as the bot.
 * Interactive with a prompt on a terminal; with a pipe it answers each line
 * and ends at end of input.
 */
import readline from 'node:readline';
import { findAnswer } from '../answer.js';
import type { EngineHolder } from '../../retrieval/api.js';
import { answerText } from '../presentation/format.js';
import { languageOf, messagesFor } from '../presentation/i18n.js';

export async function runConsole(
  holder: EngineHolder,
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const m = messagesFor(languageOf(process.env.LANG));
  output.write(`${m.consoleNoToken}\n\n`);
  const interactive = input.isTTY === true;
  const lines = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  lines.on('SIGINT', () => lines.close());
  lines.setPrompt(m.consolePrompt);
  if (interactive) lines.prompt();
  try {
    for await (const line of lines) {
      if (line.trim() !== '') {
        const answer = await holder.use((engine) => findAnswer(engine, line, m));
        output.write(`${answerText(answer, m)}\n\n`);
      }
      if (interactive) lines.prompt();
    }
  } finally {
    await holder.close();
  }
}
