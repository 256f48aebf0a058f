/**
 * Webhook mode of the real bot process: updates POSTed to its server with
 * Telegram's secret header are answered through the fake Bot API; others are
 * refused. The per-user rate limit answers politely once, then stays quiet.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Update } from 'grammy/types';
import { buildIndex } from '../retrieval/index/build.js';
import { startBotAgainst, type StartedProcess } from './support/bot-process.js';
import { FakeBotApi } from './support/fake-bot-api.js';
import { tempDir, testConfig } from './support/temp.js';

const SECRET = 'test-secret_123';
const USER = { chatId: 3001, languageCode: 'zh' };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the bot in webhook mode', () => {
  let fake: FakeBotApi;
  let bot: StartedProcess;
  let port: number;

  const post = (update: Update, secret = SECRET) =>
    fetch(`http://127.0.0.1:${port}/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });

  before(async () => {
    const config = testConfig({ CORPUS_DIR: path.resolve('data/corpus'), INDEX_DIR: tempDir('webhook-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    fake = await FakeBotApi.start();
    port = await freePort();
    bot = await startBotAgainst(
      fake,
      config,
      {
        EMBEDDING_MODEL: 'none/none',
        WEBHOOK_URL: 'https://bot.example.org/hook',
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        RATE_LIMIT: '2/60s',
      },
      'setWebhook',
    );
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await fake?.close();
  });

  it('registers the webhook with its secret', () => {
    const call = fake.callsOf('setWebhook')[0]!;
    assert.equal(call.params['url'], 'https://bot.example.org/hook');
    assert.equal(call.params['secret_token'], SECRET);
  });

  it('refuses updates without the secret', async () => {
    const response = await post(fake.sendText('养老', USER), 'wrong');
    assert.equal(response.status, 401);
  });

  it('answers updates with the secret, and limits each user politely', async () => {
    const replies = async (update: Update) => {
      const since = fake.calls.length;
      assert.equal((await post(update)).status, 200);
      return fake.waitForCall((c) => c.method === 'sendMessage', { since, timeoutMs: 10_000 });
    };
    assert.match(String((await replies(fake.sendText('集团化办学有几种模式', USER))).params['text']), /四种模式/);
    await replies(fake.sendText('养老', USER));
    assert.match(String((await replies(fake.sendText('教育', USER))).params['text']), /请稍等/);
    const since = fake.calls.length;
    await post(fake.sendText('卫生', USER));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(fake.calls.slice(since).filter((c) => c.method === 'sendMessage').length, 0, 'quiet after the first notice');
    fake.expectNoRejections();
  });

  it('exits 0 on SIGTERM', async () => {
    const { code } = await bot.stop('SIGTERM');
    assert.equal(code, 0, bot.stderr());
  });
});
