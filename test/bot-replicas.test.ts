/**
 * Replicas: two bot processes in webhook mode over one PostgreSQL database
 * (PGlite behind its socket server), as behind a load balancer. Either one
 * answers any update, including a button pressed on the other's answer; one
 * rebuild is picked up by both without a restart.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Message, Update } from 'grammy/types';
import { buildIndex } from '../retrieval/index/build.js';
import type { RetrievalConfig } from '../retrieval/config.js';
import { startScript, type StartedProcess } from './support/bot-process.js';
import { DEFAULT_TOKEN, FakeBotApi, parseTelegramHtml } from './support/fake-bot-api/index.js';
import { startPostgres, type PostgresServer } from './support/postgres.js';
import { copyCorpus, tempDir, testConfig } from './support/temp.js';
import { freePort } from './support/free-port.js';

const USER = { chatId: 4001, languageCode: 'zh' };
const NEW_FACT = '地下综合管廊的巡检机器人已覆盖全部十二公里廊道。';


interface Replica {
  process: StartedProcess;
  port: number;
  secret: string;
}

describe('two bot replicas over one PostgreSQL database', () => {
  let server: PostgresServer;
  let fake: FakeBotApi;
  let config: RetrievalConfig;
  const replicas: Replica[] = [];

  /** Delivers `update` to one replica as Telegram would, and returns the next message the bot sends to the user. */
  async function deliver(replica: Replica, update: Update): Promise<Message> {
    const since = fake.calls.length;
    const response = await fetch(`http://127.0.0.1:${replica.port}/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': replica.secret },
      body: JSON.stringify(update),
    });
    assert.equal(response.status, 200);
    await fake.waitForCall((c) => c.method === 'sendMessage' && c.params['chat_id'] === USER.chatId, { since, timeoutMs: 15_000 });
    return fake.lastSentMessage(USER.chatId)!;
  }

  before(async () => {
    server = await startPostgres();
    config = testConfig({ CORPUS_DIR: copyCorpus(), INDEX_DIR: tempDir('index'), DATABASE_URL: server.url, EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    fake = await FakeBotApi.start();
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const since = fake.calls.length;
      const process = startScript({
        TELEGRAM_BOT_TOKEN: DEFAULT_TOKEN,
        TELEGRAM_API_ROOT: fake.apiRoot,
        DATABASE_URL: server.url,
        // Each replica has its own INDEX_DIR (only the embedding cache lives there) and corpus copy.
        INDEX_DIR: tempDir('replica-index'),
        CORPUS_DIR: copyCorpus(),
        MODELS_DIR: config.MODELS_DIR,
        ALLOW_REMOTE_MODELS: 'false',
        EMBEDDING_MODEL: 'none/none',
        WEBHOOK_URL: 'https://bot.example.org/hook',
        PORT: String(port),
      });
      const call = await fake.waitForCall((c) => c.method === 'setWebhook', { since, timeoutMs: 60_000 }).catch((error: Error) => {
        throw new Error(`${error.message}\nreplica ${i} stderr:\n${process.stderr()}`);
      });
      replicas.push({ process, port, secret: String(call.params['secret_token']) });
    }
  });

  after(async () => {
    for (const replica of replicas) await replica.process.stop('SIGKILL');
    await fake?.close();
    await server?.stop();
  });

  it('register one webhook with one secret, derived from the token', () => {
    const [a, b] = replicas as [Replica, Replica];
    assert.ok(a.secret.length >= 32);
    assert.equal(b.secret, a.secret);
  });

  it('answer on either replica, and one resolves a button pressed on the other one\'s answer', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const answer = await deliver(a, fake.sendText('集团化办学有几种模式', USER));
    assert.match(parseTelegramHtml(answer.text ?? '').text || answer.text!, /四种模式/);
    const context = (answer.reply_markup?.inline_keyboard ?? []).flat().find((button) => 'callback_data' in button && button.callback_data.startsWith('ctx:'));
    assert.ok(context && 'callback_data' in context, 'the answer has a context button');
    const shown = await deliver(b, fake.pressButton(answer, context.callback_data, { userId: USER.chatId, languageCode: 'zh' }));
    assert.match(shown.text!, /^上下文/);
    assert.equal(shown.reply_to_message?.message_id, answer.message_id);
    fake.expectNoRejections();
  });

  it('both switch to a rebuilt index without a restart', async () => {
    fs.writeFileSync(path.join(config.CORPUS_DIR, '005_new.txt'), `城市管理工作会议\n\n${NEW_FACT}\n`);
    const rebuilt = await buildIndex(config);
    for (const [i, replica] of replicas.entries()) {
      const deadline = Date.now() + 20_000;
      let text = '';
      while (Date.now() < deadline && !text.includes('十二公里廊道')) {
        text = (await deliver(replica, fake.sendText('巡检机器人覆盖了多少公里', USER))).text ?? '';
        if (!text.includes('十二公里廊道')) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      assert.ok(text.includes('十二公里廊道'), `replica ${i} did not switch to generation ${rebuilt.generation}:\n${replica.process.stderr()}`);
      assert.match(replica.process.stdout() + replica.process.stderr(), new RegExp(`switched to generation ${rebuilt.generation}`));
    }
  });
});
