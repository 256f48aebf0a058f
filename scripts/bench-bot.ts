/**
 * `npm run bench-bot -- [--part load|long-paragraph] [--users 20,100] [--questions-per-user 5] [--questions FILE]
 *   [--model ID] [--cap 30] [--long-paragraph-mb 5] [--rounds 5]`
 *
 * Benchmark (a script, not a test) of the whole bot process against the fake
 * Bot API on 127.0.0.1, with Telegram's per-bot limit of about 30 messages a
 * second modelled (429 retry_after 1 past it).
 *
 * `--part load` (the default):
 *  1. reply latency of one user asking the questions one after the other;
 *  2. for each user count, every user sends their questions at once (message
 *     dates 3 s apart, a human pace): answers per second, reply latency p50/p95,
 *     and how many questions were answered, refused with a notice, or lost.
 *
 * `--part long-paragraph`: whether one huge paragraph (a file that never breaks
 * its lines) slows anyone down. The corpus is built twice, as it is and with
 * such a file added, and the bot answers the same traffic on each: one user
 * quotes a sentence of the huge paragraph, and half a second later ten other
 * users ask the questions. Side by side: build time and warnings, the quoting
 * user's reply time, and the other users' reply times.
 *
 * Prints Markdown tables. Indexes are built into temporary folders, full-text
 * only unless --model names an embedding model.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIndex, RetrievalError, type RetrievalConfig } from '../retrieval/api.js';
import { startBotAgainst } from '../test/support/bot-process.js';
import { FakeBotApi } from '../test/support/fake-bot-api/index.js';
import { collectReplies, repliesTo, sendLoad, type LoadReport, type SentQuestion } from '../test/support/load.js';
import { elapsedMsAsync, log, machineFacts, markdownTable, percentile, readQuestions } from './bench-common.js';
import { corpusSentences, runOnParagraph } from './bench-stores.js';
import { runCommand } from './cli.js';

const isNotice = (text: string) => /没有受理|出了错|not taken|went wrong/.test(text);

/** Users who ask while the huge paragraph's question is being answered. */
const OTHER_USERS = 10;
/** How long after the huge paragraph's question the others ask. */
const OTHERS_AFTER_MS = 500;
/** Title line of the added file, so that a reply quoting it can be told apart. */
const HUGE_TITLE = '年度工作汇编（一行到底）';
const HUGE_FILE = 'zz-one-line.txt';

const command = {
  name: 'bench-bot',
  about:
    'Benchmark of the whole bot process (npm start) against the fake Bot API on 127.0.0.1, Telegram\'s per-bot limit\n' +
    'modelled. --part load: reply latency of one user, then answers/s, latency and lost questions with many users at\n' +
    'once. --part long-paragraph: the corpus with and without one huge single-line paragraph, side by side: build time,\n' +
    'and the reply times of a user quoting it and of ten users asking other questions half a second later. Builds the\n' +
    'indexes of CORPUS_DIR in temporary folders. Prints Markdown tables.',
  options: {
    part: { type: 'string', default: 'load', value: 'load|long-paragraph', help: 'what to measure' },
    users: { type: 'string', default: '20,100', value: 'N,N', help: 'load: the user counts to measure' },
    'questions-per-user': { type: 'string', default: '5', value: 'N', help: 'load: questions each user sends at once' },
    questions: { type: 'string', default: '../shared/eval/dev.jsonl', value: 'FILE', help: 'questions as JSON lines {"q"}' },
    model: { type: 'string', default: 'none/none', value: 'ID', help: 'embedding model (none/none: full-text only)' },
    cap: { type: 'string', default: '30', value: 'N', help: 'messages a second the fake Bot API takes before it answers 429' },
    'long-paragraph-mb': { type: 'string', default: '5', value: 'N', help: 'long-paragraph: size of the added paragraph in megabytes (UTF-8)' },
    rounds: { type: 'string', default: '5', value: 'N', help: 'long-paragraph: times the traffic is sent to each index' },
  },
} as const;

interface BenchBot {
  config: RetrievalConfig;
  questions: string[];
  model: string;
  cap: number;
}

/** Builds `corpusDir` into a fresh folder, starts the bot on it, runs `work`, and stops and removes it all. */
async function withBot<T>(bench: BenchBot, corpusDir: string, work: (fake: FakeBotApi) => Promise<T>): Promise<{ value: T; buildMs: number; warnings: string[] }> {
  const config = { ...bench.config, CORPUS_DIR: corpusDir, INDEX_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bot-')), EMBEDDING_MODEL: bench.model };
  log(`building the index of ${corpusDir} (${bench.model === 'none/none' ? 'full-text only' : bench.model})…`);
  const { value: summary, ms: buildMs } = await elapsedMsAsync(() => buildIndex(config));
  const fake = await FakeBotApi.start({ messagesPerSecond: bench.cap });
  const bot = await startBotAgainst(fake, config, { EMBEDDING_MODEL: bench.model, LOG_LEVEL: 'warn', ALLOW_REMOTE_MODELS: 'true' }, 'deleteWebhook');
  try {
    const value = await work(fake);
    fake.expectNoRejections();
    return { value, buildMs, warnings: summary.warnings };
  } finally {
    await bot.stop('SIGTERM');
    await fake.close();
    fs.rmSync(config.INDEX_DIR, { recursive: true, force: true });
  }
}

async function benchLoad(bench: BenchBot, userCounts: number[], perUser: number): Promise<void> {
  await withBot(bench, bench.config.CORPUS_DIR, async (fake) => {
    // 1. One user, one question at a time.
    const sequential: LoadReport[] = [];
    for (const [n, question] of bench.questions.entries()) {
      const sent = await sendLoad(fake, { users: 1, questionsPerUser: 1, questions: [question], firstUserId: 900_000 + n, paceSeconds: 0, sendEveryMs: 0 });
      sequential.push(await collectReplies(fake, sent, isNotice, 30_000, 0));
    }
    const latencies = sequential.map((r) => r.p50);
    console.log(`\nOne user, ${latencies.length} questions one after the other: reply latency p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms\n`);

    // 2. Many users at once.
    const rows: (string | number)[][] = [];
    for (const [i, users] of userCounts.entries()) {
      const throttledBefore = fake.throttled;
      const started = Date.now();
      const sent = await sendLoad(fake, { users, questionsPerUser: perUser, questions: bench.questions, firstUserId: 100_000 * (i + 1), paceSeconds: 3, sendEveryMs: 0 });
      const report = await collectReplies(fake, sent, isNotice, 600_000, 0);
      const seconds = (report.lastReplyAt - started) / 1000;
      rows.push([users, report.sent, report.answered, report.refused, report.lost, report.duplicates,
        (report.answered / seconds).toFixed(1), report.p50, report.p95, fake.throttled - throttledBefore]);
    }
    console.log(markdownTable(['users', 'questions', 'answered', 'refused with notice', 'lost', 'duplicates', 'answers/s', 'p50 ms', 'p95 ms', '429 from the cap'], rows));
  });
}

interface LongParagraphRound {
  quoting: number;
  quotedHuge: boolean;
  /** The other users' reply times when they ask alone, and when they ask just after the quote. */
  alone: number[];
  afterQuote: number[];
  lost: number;
}

/** Each user's reply time, in milliseconds from their question. */
function replyTimes(fake: FakeBotApi, sent: SentQuestion[]): number[] {
  return sent.map((question) => {
    const reply = repliesTo(fake, question.update)[0];
    return reply ? reply.at - question.sentAt : Number.NaN;
  });
}

/**
 * Each round, the other users ask alone; then one user quotes `quote` and
 * OTHERS_AFTER_MS later the other users (new ones) ask the same questions.
 */
async function longParagraphTraffic(fake: FakeBotApi, bench: BenchBot, quote: string, rounds: number): Promise<LongParagraphRound[]> {
  const results: LongParagraphRound[] = [];
  const others = (round: number, firstUserId: number) => sendLoad(fake, {
    users: OTHER_USERS, questionsPerUser: 1, questions: bench.questions.slice(round * OTHER_USERS).concat(bench.questions), firstUserId, paceSeconds: 0, sendEveryMs: 0,
  });
  for (let round = 0; round < rounds; round++) {
    const firstUserId = 200_000 + round * 1_000;
    const alone = await others(round, firstUserId);
    const aloneReport = await collectReplies(fake, alone, isNotice, 300_000, 0);
    const [quoting] = await sendLoad(fake, { users: 1, questionsPerUser: 1, questions: [quote], firstUserId: firstUserId + 100, paceSeconds: 0, sendEveryMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, OTHERS_AFTER_MS));
    const afterQuote = await others(round, firstUserId + 101);
    const report = await collectReplies(fake, [quoting!, ...afterQuote], isNotice, 300_000, 0);
    results.push({
      quoting: replyTimes(fake, [quoting!])[0]!,
      quotedHuge: String(repliesTo(fake, quoting!.update)[0]?.params['text'] ?? '').includes(HUGE_TITLE),
      alone: replyTimes(fake, alone),
      afterQuote: replyTimes(fake, afterQuote),
      lost: aloneReport.lost + report.lost,
    });
  }
  return results;
}

async function benchLongParagraph(bench: BenchBot, megabytes: number, rounds: number): Promise<void> {
  const sentences = corpusSentences(bench.config.CORPUS_DIR);
  const huge = runOnParagraph(sentences, megabytes * 1_000_000);
  // A sentence from the middle of the huge paragraph, asked as a quote: the reply must read the paragraph to find it.
  const quote = sentences.find((sentence) => huge.indexOf(sentence, huge.length / 2) > 0 && sentence.length >= 20) ?? sentences[0]!;

  const withHuge = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bot-corpus-'));
  fs.cpSync(bench.config.CORPUS_DIR, withHuge, { recursive: true });
  fs.writeFileSync(path.join(withHuge, HUGE_FILE), `${HUGE_TITLE}\n\n${huge}\n`);
  log(`long-paragraph: a ${(Buffer.byteLength(huge) / 1e6).toFixed(1)} MB paragraph of ${huge.length} characters; the quoted sentence: ${quote}`);

  const rows: (string | number)[][] = [];
  try {
    for (const [label, dir] of [['as it is', bench.config.CORPUS_DIR], [`with the ${megabytes} MB paragraph`, withHuge]] as const) {
      const { value: results, buildMs, warnings } = await withBot(bench, dir, (fake) => longParagraphTraffic(fake, bench, quote, rounds));
      const quoting = results.map((r) => r.quoting);
      const spread = (samples: number[]) => `${percentile(samples, 50)} / ${percentile(samples, 95)} / ${Math.max(...samples)}`;
      rows.push([
        label, (buildMs / 1000).toFixed(1), warnings.filter((w) => w.startsWith(HUGE_FILE)).length,
        `${percentile(quoting, 50)} / ${Math.max(...quoting)}`, `${results.filter((r) => r.quotedHuge).length} of ${rounds}`,
        spread(results.flatMap((r) => r.alone)), spread(results.flatMap((r) => r.afterQuote)), results.reduce((sum, r) => sum + r.lost, 0),
      ]);
    }
  } finally {
    fs.rmSync(withHuge, { recursive: true, force: true });
  }
  console.log(`\n${machineFacts()}\n`);
  console.log(markdownTable(
    ['corpus', 'build (s)', 'warnings about the file', 'quoting user: reply p50 / max (ms)', 'reply quotes the huge file',
      `${OTHER_USERS} other users asking alone: p50 / p95 / max (ms)`, `the same, ${OTHERS_AFTER_MS} ms after the quote`, 'lost'],
    rows,
  ));
}

runCommand(command, async (retrieval, { values }) => {
  const bench: BenchBot = { config: retrieval, questions: readQuestions(values.questions), model: values.model, cap: Number(values.cap) };
  if (values.part === 'long-paragraph') await benchLongParagraph(bench, Number(values['long-paragraph-mb']), Number(values.rounds));
  else if (values.part === 'load') await benchLoad(bench, values.users.split(',').map(Number), Number(values['questions-per-user']));
  else throw new RetrievalError('CONFIG_INVALID', `--part takes load or long-paragraph, got "${values.part}"`);
});
