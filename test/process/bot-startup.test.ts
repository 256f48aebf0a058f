/**
 * Start-up and stop of the real bot process: Telegram out of reach (the bot
 * keeps trying and says so, in the log and in /healthz, and serves once it
 * can), a signal in each phase (building the index, connecting, running with
 * questions queued), and the one-line messages for what trying again cannot
 * fix (a port in use, an API root that is no Bot API server).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { buildIndex } from '../../retrieval/api.js';
import type { RetrievalConfig } from '../../retrieval/config.js';
import { startBotAgainst, startScript, type StartedProcess } from '../support/bot-process.js';
import { DEFAULT_TOKEN, FakeBotApi } from '../support/fake-bot-api/index.js';
import { freePort } from '../support/free-port.js';
import { collectReplies } from '../support/load.js';
import { largeCorpus, tempDir, testConfig } from '../support/temp.js';
import { waitUntil } from '../support/wait.js';

const WATER = path.resolve('test/fixtures/water-corpus');
const QUESTIONS = ['城区自来水普及率达到多少', '新建了几座雨水泵站', '城市书房怎样借阅', '绿道建设有什么进展'];
const isApology = (text: string) => /出了错/.test(text);

interface Health {
  status: string;
  index: string;
  telegram: string;
}

const health = async (port: number): Promise<{ code: number; body: Health } | null> => {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { code: response.status, body: (await response.json()) as Health };
  } catch {
    return null;
  }
};

/** Log lines of the process as JSON objects (pino writes one per line on stderr). */
const logLines = (bot: StartedProcess) =>
  bot.stderr().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; level: number });

describe('start-up and stop', () => {
  let config: RetrievalConfig;
  const env = (overrides: Record<string, string>) => ({
    TELEGRAM_BOT_TOKEN: DEFAULT_TOKEN,
    INDEX_DIR: config.INDEX_DIR,
    CORPUS_DIR: config.CORPUS_DIR,
    MODELS_DIR: config.MODELS_DIR,
    EMBEDDING_MODEL: 'none/none',
    ALLOW_REMOTE_MODELS: 'false',
    ...overrides,
  });

  before(async () => {
    config = testConfig({ CORPUS_DIR: WATER, INDEX_DIR: tempDir('startup-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
  });

  it('while Telegram cannot be reached: keeps trying, says so in the log and /healthz, then serves once it can; SIGINT stops it', async () => {
    const apiPort = await freePort(); // nothing listens there yet
    const port = await freePort();
    const bot = startScript(env({ TELEGRAM_API_ROOT: `http://127.0.0.1:${apiPort}`, WEBHOOK_URL: 'https://bot.example.org/hook', PORT: String(port) }));
    let fake: FakeBotApi | undefined;
    try {
      await waitUntil(() => /cannot be reached; trying again/.test(bot.stderr()), 'the log to say Telegram is out of reach', 30_000);
      let seen: Health | undefined;
      await waitUntil(async () => {
        const answer = await health(port);
        seen = answer?.body;
        return answer?.code === 503 && /^unreachable \(ECONNREFUSED\)/.test(answer.body.telegram);
      }, '/healthz to report Telegram unreachable', 30_000);
      assert.equal(seen!.status, 'starting');

      fake = await FakeBotApi.start({ port: apiPort });
      await fake.waitForCall((c) => c.method === 'setWebhook', { timeoutMs: 90_000 });
      await waitUntil(async () => (await health(port))?.code === 200, '/healthz to say serving', 30_000);
      assert.equal((await health(port))!.body.telegram, 'connected');

      const { code } = await bot.stop('SIGINT');
      assert.equal(code, 0, bot.stderr());
      assert.equal(logLines(bot).at(-1)?.msg, 'stopped');
    } finally {
      await bot.stop('SIGKILL');
      await fake?.close();
    }
  });

  it('SIGTERM during the first build and the connection to Telegram stops at once; /healthz answers 503 meanwhile', async () => {
    const port = await freePort();
    // A synthetic corpus of 2,000 paragraphs into an empty INDEX_DIR: a build of a few seconds, off the main thread.
    const bot = startScript(env({
      CORPUS_DIR: largeCorpus(2_000), INDEX_DIR: tempDir('startup-build'),
      TELEGRAM_API_ROOT: `http://127.0.0.1:${await freePort()}`, WEBHOOK_URL: 'https://bot.example.org/hook', PORT: String(port),
    }));
    try {
      await waitUntil(() => /building it/.test(bot.stderr()), 'the build to start', 30_000);
      // Not ready while the index is built: 503, saying why (200 once serving: the test above).
      let during: Awaited<ReturnType<typeof health>> = null;
      await waitUntil(async () => (during = await health(port))?.body.index === 'loading', '/healthz to answer during the build', 30_000);
      assert.equal(during!.code, 503);
      const { code } = await bot.stop('SIGTERM', 15_000);
      assert.equal(code, 0, bot.stderr());
      assert.doesNotMatch(bot.stderr(), /index built/, 'the build was stopped, not waited for');
      assert.equal(logLines(bot).at(-1)?.msg, 'stopped');
    } finally {
      await bot.stop('SIGKILL');
    }
  });

  it('SIGTERM with questions queued: answers them all before saying "stopped", and apologises to no one', async () => {
    const fake = await FakeBotApi.start();
    const bot = await startBotAgainst(fake, config, { EMBEDDING_MODEL: 'none/none' }, 'deleteWebhook');
    try {
      const sent = Array.from({ length: 12 }, (_, i) => ({ update: fake.sendText(QUESTIONS[i % QUESTIONS.length]!, { chatId: 8101, languageCode: 'zh' }), sentAt: Date.now() }));
      await fake.waitForCall((c) => c.method === 'sendMessage', { timeoutMs: 30_000 });
      const { code } = await bot.stop('SIGTERM', 30_000);
      assert.equal(code, 0, bot.stderr());
      const report = await collectReplies(fake, sent, isApology, 1_000, 0);
      assert.deepEqual([report.answered, report.refused, report.lost], [12, 0, 0], JSON.stringify(report));
      const lines = logLines(bot);
      assert.equal(lines.at(-1)?.msg, 'stopped');
      assert.ok(!lines.some((line) => line.level >= 50), 'no errors logged while stopping');
      assert.doesNotMatch(bot.stderr(), new RegExp(DEFAULT_TOKEN), 'the token is never logged');
    } finally {
      await bot.stop('SIGKILL');
      await fake.close();
    }
  });

  it('a port in use: one line saying so, exit code 1', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const bot = startScript(env({ TELEGRAM_API_ROOT: 'http://127.0.0.1:1', WEBHOOK_URL: 'https://bot.example.org/hook', PORT: String(port) }));
      assert.equal(await bot.exited, 1, bot.stderr());
      const fatal = logLines(bot).filter((line) => line.level === 60);
      assert.deepEqual(fatal.map((line) => line.msg), [`PORT ${port} is in use by another process: stop it, or set PORT to a free port.`]);
      assert.doesNotMatch(bot.stderr(), /EADDRINUSE|\n\s+at /, 'no stack trace');
    } finally {
      holder.close();
    }
  });

  it('an API root that is no Bot API server: one line saying so, exit code 1', async () => {
    const fake = await FakeBotApi.start();
    try {
      const root = `${fake.apiRoot}/not-telegram`;
      const bot = startScript(env({ TELEGRAM_API_ROOT: root }));
      assert.equal(await bot.exited, 1, bot.stderr());
      const fatal = logLines(bot).filter((line) => line.level === 60).map((line) => line.msg);
      assert.equal(fatal.length, 1, bot.stderr());
      assert.match(fatal[0]!, new RegExp(`^TELEGRAM_API_ROOT ${root} is not a Bot API server .*check TELEGRAM_API_ROOT`));
      assert.doesNotMatch(bot.stderr(), /GrammyError|\n\s+at /, 'no stack trace');
    } finally {
      await fake.close();
    }
  });
});
