/**
 * `npm run bench-bot -- [--users 20,100] [--questions-per-user 5] [--questions FILE] [--model ID] [--cap 30]`
 *
 * Benchmark (a script, not a test) of the whole bot process against the fake
 * Bot API on 127.0.0.1, with Telegram's per-bot limit of about 30 messages a
 * second modelled (429 retry_after 1 past it):
 *
 *  1. reply latency of one user asking the questions one after the other;
 *  2. for each user count, every user sends their questions at once (message
 *     dates 3 s apart, a human pace): answers per second, reply latency p50/p95,
 *     and how many questions were answered, refused with a notice, or lost.
 *
 * Prints Markdown tables. The index is built from CORPUS_DIR into a temporary
 * folder, full-text only unless --model names an embedding model.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIndex } from '../retrieval/api.js';
import { startBotAgainst } from '../test/support/bot-process.js';
import { FakeBotApi } from '../test/support/fake-bot-api/index.js';
import { collectReplies, sendLoad, type LoadReport } from '../test/support/load.js';
import { runCommand } from './cli.js';

const isNotice = (text: string) => /没有受理|出了错|not taken|went wrong/.test(text);

function readQuestions(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { q: string }).q);
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

const command = {
  name: 'bench-bot',
  about:
    'Benchmark of the whole bot process (npm start) against the fake Bot API on 127.0.0.1, Telegram\'s per-bot limit\n' +
    'modelled: reply latency of one user, then answers/s, latency and lost questions with many users at once. Builds the\n' +
    'index of CORPUS_DIR in a temporary folder. Prints Markdown tables.',
  options: {
    users: { type: 'string', default: '20,100', value: 'N,N', help: 'the user counts to measure' },
    'questions-per-user': { type: 'string', default: '5', value: 'N', help: 'questions each user sends at once' },
    questions: { type: 'string', default: '../shared/eval/dev.jsonl', value: 'FILE', help: 'questions as JSON lines {"q"}' },
    model: { type: 'string', default: 'none/none', value: 'ID', help: 'embedding model (none/none: full-text only)' },
    cap: { type: 'string', default: '30', value: 'N', help: 'messages a second the fake Bot API takes before it answers 429' },
  },
} as const;

runCommand(command, async (retrieval, { values }) => {
  const questions = readQuestions(values.questions);
  const userCounts = values.users.split(',').map(Number);
  const perUser = Number(values['questions-per-user']);
  const config = { ...retrieval, INDEX_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bot-')), EMBEDDING_MODEL: values.model };
  console.error(`building the index of ${config.CORPUS_DIR} (${values.model === 'none/none' ? 'full-text only' : values.model})…`);
  await buildIndex(config);
  const fake = await FakeBotApi.start({ messagesPerSecond: Number(values.cap) });
  const bot = await startBotAgainst(fake, config, { EMBEDDING_MODEL: values.model, LOG_LEVEL: 'warn', ALLOW_REMOTE_MODELS: 'true' }, 'deleteWebhook');
  try {
    // 1. One user, one question at a time.
    const sequential: LoadReport[] = [];
    for (const [n, question] of questions.entries()) {
      const sent = await sendLoad(fake, { users: 1, questionsPerUser: 1, questions: [question], firstUserId: 900_000 + n, paceSeconds: 0, sendEveryMs: 0 });
      sequential.push(await collectReplies(fake, sent, isNotice, 30_000, 0));
    }
    const latencies = sequential.map((r) => r.p50).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)];
    console.log(`\nOne user, ${latencies.length} questions one after the other: reply latency p50 ${pct(50)} ms, p95 ${pct(95)} ms\n`);

    // 2. Many users at once.
    console.log(row(['users', 'questions', 'answered', 'refused with notice', 'lost', 'duplicates', 'answers/s', 'p50 ms', 'p95 ms', '429 from the cap']));
    console.log(row(Array(10).fill('---')));
    for (const [i, users] of userCounts.entries()) {
      const throttledBefore = fake.throttled;
      const started = Date.now();
      const sent = await sendLoad(fake, { users, questionsPerUser: perUser, questions, firstUserId: 100_000 * (i + 1), paceSeconds: 3, sendEveryMs: 0 });
      const report = await collectReplies(fake, sent, isNotice, 600_000, 0);
      const seconds = (report.lastReplyAt - started) / 1000;
      console.log(row([users, report.sent, report.answered, report.refused, report.lost, report.duplicates,
        (report.answered / seconds).toFixed(1), report.p50, report.p95, fake.throttled - throttledBefore]));
    }
    fake.expectNoRejections();
  } finally {
    await bot.stop('SIGTERM');
    await fake.close();
    fs.rmSync(config.INDEX_DIR, { recursive: true, force: true });
  }
});
