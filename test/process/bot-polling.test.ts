/**
 * Polling stops with a clear message and exit code 1 when Telegram will not
 * let this process poll: a wrong token (401) or another instance (409).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIndex } from '../../retrieval/api.js';
import type { RetrievalConfig } from '../../retrieval/config.js';
import { startBotAgainst, startScript } from '../support/bot-process.js';
import { DEFAULT_TOKEN, FakeBotApi } from '../support/fake-bot-api/index.js';
import { tempDir, testConfig } from '../support/temp.js';
import { waitUntil } from '../support/wait.js';

describe('polling refused by Telegram', () => {
  let fake: FakeBotApi;
  let config: RetrievalConfig;

  before(async () => {
    config = testConfig({ CORPUS_DIR: path.resolve('test/fixtures/water-corpus'), INDEX_DIR: tempDir('polling-index'), EMBEDDING_MODEL: 'none/none' });
    await buildIndex(config);
    fake = await FakeBotApi.start();
  });

  after(() => fake?.close());

  const env = () => ({
    TELEGRAM_API_ROOT: fake.apiRoot,
    INDEX_DIR: config.INDEX_DIR,
    CORPUS_DIR: config.CORPUS_DIR,
    MODELS_DIR: config.MODELS_DIR,
    EMBEDDING_MODEL: 'none/none',
    ALLOW_REMOTE_MODELS: 'false',
  });

  it('a token Telegram refuses (401) stops the bot with exit code 1 and says what to check', async () => {
    const bot = startScript({ ...env(), TELEGRAM_BOT_TOKEN: '999:WRONG' });
    const code = await bot.exited;
    assert.equal(code, 1, bot.stderr());
    assert.match(bot.stderr(), /401 Unauthorized.*TELEGRAM_BOT_TOKEN/);
    assert.doesNotMatch(bot.stderr(), /999:WRONG/);
    fake.takeRejections();
  });

  it('another instance polling with the same token (409) stops the bot with exit code 1', async () => {
    const bot = await startBotAgainst(fake, config, { EMBEDDING_MODEL: 'none/none' }, 'deleteWebhook');
    // Poll as a second instance would, until the bot's own long poll is pending and Telegram ends it with 409.
    let exited = false;
    void bot.exited.then(() => (exited = true));
    try {
      await waitUntil(async () => {
        await fetch(`${fake.apiRoot}/bot${DEFAULT_TOKEN}/getUpdates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"timeout":0}' });
        return exited;
      }, 'the bot to stop on 409', 30_000, 100);
    } finally {
      await bot.stop('SIGKILL');
    }
    assert.equal(await bot.exited, 1, bot.stderr());
    assert.match(bot.stderr(), /409 Conflict.*other instance/);
  });
});
