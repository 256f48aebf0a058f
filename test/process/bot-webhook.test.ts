/**
 * Webhook mode of the real bot process: updates POSTed to its server with
 * Telegram's secret header are answered through the fake Bot API; others are
 * refused; a malformed body gets 400 and the bot carries on. GET /healthz and
 * GET /metrics tell how it is doing.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Update } from 'grammy/types';
import { buildIndex } from '../../retrieval/api.js';
import { startBotAgainst, type StartedProcess } from '../support/bot-process.js';
import { FakeBotApi, parseTelegramHtml } from '../support/fake-bot-api/index.js';
import { tempDir, testConfig } from '../support/temp.js';
import { freePort } from '../support/free-port.js';
import { waitUntil } from '../support/wait.js';

const SECRET = 'test-secret_123';
const USER = { chatId: 3001, languageCode: 'zh' };


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
    const config = testConfig({ CORPUS_DIR: path.resolve('test/fixtures/water-corpus'), INDEX_DIR: tempDir('webhook-index'), EMBEDDING_MODEL: 'none/none' });
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

  const replies = async (update: Update) => {
    const since = fake.calls.length;
    assert.equal((await post(update)).status, 200);
    return fake.waitForCall((c) => c.method === 'sendMessage', { since, timeoutMs: 10_000 });
  };

  it('answers updates with the secret', async () => {
    const answer = (await replies(fake.sendText('城区自来水普及率达到多少', USER))).params['text'];
    assert.match(parseTelegramHtml(String(answer)).text, /百分之九十八/);
    fake.expectNoRejections();
  });

  it('answers a malformed body with 400 and keeps serving', async () => {
    const raw = (body: string) =>
      fetch(`http://127.0.0.1:${port}/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body,
      });
    assert.equal((await raw('{"update_id": 1, "message": {')).status, 400);
    assert.equal((await raw('[1, 2, 3]')).status, 400);
    assert.equal((await raw('{"no_update_id": true}')).status, 400);
    assert.match(bot.stderr(), /malformed update/);
    assert.match(String((await replies(fake.sendText('防汛', USER))).params['text']), /防汛/);
  });

  it('ignores an update of a type it does not know, and still answers the next one', async () => {
    const unknown = await fetch(`http://127.0.0.1:${port}/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: 99_999, some_future_update: { id: 1 } }),
    });
    assert.equal(unknown.status, 200);
    assert.match(String((await replies(fake.sendText('绿道', USER))).params['text']), /绿道/);
  });

  it('GET /healthz says it is serving and which index', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; index: string };
    assert.equal(body.status, 'serving');
    assert.ok(!Number.isNaN(Date.parse(body.index)), body.index);
  });

  it('GET /metrics counts updates, answers and errors in the Prometheus format', async () => {
    const metrics = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(response.status, 200);
      const text = await response.text();
      return (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    };
    const before = await metrics();
    await replies(fake.sendText('智慧水表', USER));
    // The answer is counted once it is sent; the count reaches this process after the message does.
    let after = await metrics();
    await waitUntil(async () => (after = await metrics())(/^bot_answers_total\{outcome="answered"\} (\d+)$/m) > before(/^bot_answers_total\{outcome="answered"\} (\d+)$/m), 'the answer to be counted', 10_000);
    const grew = (pattern: RegExp) => after(pattern) - before(pattern);
    assert.equal(grew(/^bot_updates_total\{kind="message"\} (\d+)$/m), 1);
    assert.equal(grew(/^bot_answers_total\{outcome="answered"\} (\d+)$/m), 1);
    assert.equal(grew(/^bot_answer_latency_seconds_count (\d+)$/m), 1);
    assert.equal(grew(/^bot_errors_total (\d+)$/m), 0);
    assert.equal(grew(/^bot_refusals_total (\d+)$/m), 0);
    assert.equal(after(/^bot_queue_depth (\d+)$/m), 0);
    assert.ok(after(/^bot_index_generation (\d+)$/m) > 1_600_000_000);
  });

  it('refuses a body over 1 MiB with 413 and takes the next update on the same keep-alive connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const postOn = (body: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const request = http.request(`http://127.0.0.1:${port}/hook`, {
          method: 'POST', agent,
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, 'content-length': Buffer.byteLength(body) },
        }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode!, reused: request.reusedSocket }));
        });
        request.on('error', reject);
        request.end(body);
      });
    try {
      const since = fake.calls.length;
      assert.equal((await postOn(JSON.stringify({ update_id: 1, padding: 'x'.repeat(2 << 20) }))).status, 413);
      const next = await postOn(JSON.stringify(fake.sendText('绿道', USER)));
      assert.deepEqual(next, { status: 200, reused: true });
      await fake.waitForCall((c) => c.method === 'sendMessage', { since, timeoutMs: 10_000 });
    } finally {
      agent.destroy();
    }
  });

  it('apologises when the answer cannot be sent, and logs the update id', async () => {
    // A retry_after past the bound on retries: the bot gives up on the answer at once.
    fake.failNext('sendMessage', [{ code: 429, retryAfter: 600 }]);
    const update = fake.sendText('防汛', USER);
    const since = fake.calls.length;
    assert.equal((await post(update)).status, 200);
    const apology = await fake.waitForCall((c) => c.method === 'sendMessage', { since, timeoutMs: 60_000 });
    assert.match(String(apology.params['text']), /出了错/);
    // The log line was written before the apology was sent, but the two reach this process by different pipes.
    const gaveUp = () => bot.stderr().split('\n').find((line) => line.includes('gave up on the update'));
    await waitUntil(() => gaveUp() !== undefined, 'the log line of the update given up', 10_000);
    assert.equal((JSON.parse(gaveUp()!) as { update: number }).update, update.update_id);
  });
});
