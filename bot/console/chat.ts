/**
 * The console chat, for when there is no Telegram token: questions on stdin,
 * answers in plain text on stdout, through the same answer.ts as the bot.
 * Interactive with a prompt on a terminal; with a pipe it answers each line
 * and ends at end of input. `+`, `-` and `!N name` after an answer are
 * feedback (feedback.ts).
 */
import readline from 'node:readline';
import { findAnswer } from '../answer.js';
import { ConsoleFeedback } from './feedback.js';
import type { EngineHolder } from '../../retrieval/api.js';
import type { Feedback } from '../feedback/open-feedback.js';
import { feedbackMessagesFor } from '../presentation/feedback.js';
import { answerText } from '../presentation/format.js';
import { languageOf, messagesFor } from '../presentation/i18n.js';

export async function runConsole(
  holder: EngineHolder,
  feedback: Feedback,
  input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const language = languageOf(process.env.LANG);
  const m = messagesFor(language);
  const readers = new ConsoleFeedback(feedback, feedbackMessagesFor(language));
  output.write(`${m.consoleNoToken}\n\n`);
  const interactive = input.isTTY === true;
  const lines = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  lines.on('SIGINT', () => lines.close());
  lines.setPrompt(m.consolePrompt);
  if (interactive) lines.prompt();
  try {
    for await (const line of lines) {
      const reply = line.trim() === '' ? null : await readers.handle(line);
      if (reply !== null) output.write(`${reply}\n\n`);
      else if (line.trim() !== '') {
        const answer = await holder.use((engine) => findAnswer(engine, line, m));
        const howToRate = readers.shown(answer);
        output.write(`${answerText(answer, m)}\n${howToRate ? `${howToRate}\n` : ''}\n`);
      }
      if (interactive) lines.prompt();
    }
  } finally {
    await holder.close();
    await feedback.store.close();
  }
}
