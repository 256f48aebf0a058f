/**
 * The inbox worker on a real SQLite inbox: what an earlier process left is
 * handed out first, oldest first, before what arrives now; every handled
 * update is marked done; an update that ended the process on every attempt is
 * set aside with its id in the log, and its user gets the apology (through the
 * fake Bot API); a stop that cannot wait for a handler leaves its update to the
 * next start.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { Update } from 'grammy/types';
import { Bot } from 'grammy';
import { pino } from 'pino';
import { InboxWorker, type UpdateHandlers } from '../bot/inbox/inbox-worker.js';
import { SqliteInbox } from '../bot/inbox/sqlite-inbox.js';
import { apologiseUnhandled } from '../bot/telegram/bot.js';
import type { BotContext } from '../bot/telegram/context.js';
import { BOT_INFO, DEFAULT_TOKEN, FakeBotApi } from './support/fake-bot-api/index.js';
import { tempDir } from './support/temp.js';
import { waitUntil } from './support/wait.js';

const update = (id: number): Update =>
  ({ update_id: id, message: { message_id: id, date: 1_700_000_000, chat: { id: 1, type: 'private', first_name: 'A' }, text: `q${id}` } }) as Update;

/** A logger whose JSON lines the test reads. */
function collectingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

/** Handlers that record what they were given; setting aside is not expected unless a test says so. */
function recording(handled: number[]): UpdateHandlers {
  return {
    handle: async (u) => void handled.push(u.update_id),
    setAside: async (u) => assert.fail(`update ${u.update_id} set aside`),
  };
}

describe('the inbox worker', () => {
  it('answers what an earlier process left first, oldest first, then what arrives, and marks each done', async (t) => {
    const dir = tempDir('inbox-worker', t);
    const earlier = SqliteInbox.open(dir);
    await earlier.add([update(3), update(1), update(2)]);
    await earlier.close(); // the process died with them claimed
    const inbox = SqliteInbox.open(dir);
    t.after(() => inbox.close());
    const handled: number[] = [];
    const { logger } = collectingLogger();
    const worker = new InboxWorker(inbox, recording(handled), logger);
    await worker.start();
    worker.take(await inbox.add([update(4)]));
    await waitUntil(() => handled.length === 4, 'four updates handled');
    assert.deepEqual(handled, [1, 2, 3, 4]);
    assert.equal(await worker.stop(1_000), true);
    await inbox.release();
    assert.deepEqual(await inbox.claim(10), [], 'all done');
    assert.deepEqual(await inbox.add([update(2)]), [], 'a done update sent again is not new');
  });

  it('sets aside an update whose handling ended the process five times, with its id in the log and the apology', async (t) => {
    const fake = await FakeBotApi.start();
    t.after(() => fake.close());
    const question = fake.sendText('自来水', { chatId: 8001, languageCode: 'zh' });
    const dir = tempDir('inbox-worker', t);
    for (let attempt = 0; attempt < 6; attempt++) {
      const crashed = SqliteInbox.open(dir);
      if (attempt === 0) await crashed.add([question]);
      else await crashed.claim(10);
      await crashed.close();
    }
    const inbox = SqliteInbox.open(dir);
    t.after(() => inbox.close());
    const bot = new Bot<BotContext>(DEFAULT_TOKEN, { client: { apiRoot: fake.apiRoot }, botInfo: BOT_INFO });
    const handled: number[] = [];
    const { logger, lines } = collectingLogger();
    const worker = new InboxWorker(inbox, {
      handle: async (u) => void handled.push(u.update_id),
      setAside: (u) => apologiseUnhandled(bot, u, logger, DEFAULT_TOKEN),
    }, logger);
    await worker.start();
    const apology = await fake.waitForCall((c) => c.method === 'sendMessage', { timeoutMs: 10_000 });
    await worker.stop(1_000);
    assert.deepEqual(handled, []);
    assert.match(String(apology.params['text']), /出了错/);
    assert.deepEqual([apology.params['chat_id'], (apology.params['reply_parameters'] as { message_id: number }).message_id], [8001, question.message!.message_id]);
    assert.match(String(lines.find((line) => line['update'] === question.update_id)?.['msg']), /set aside/);
    await inbox.release();
    assert.deepEqual(await inbox.claim(10), [], 'not handed out again');
  });

  it('a stop that cannot wait for a handler leaves its update to the next start', async (t) => {
    const dir = tempDir('inbox-worker', t);
    const inbox = SqliteInbox.open(dir);
    const { logger } = collectingLogger();
    let started = false;
    const worker = new InboxWorker(inbox, { ...recording([]), handle: () => ((started = true), new Promise<void>(() => {})) }, logger);
    await worker.start();
    worker.take(await inbox.add([update(9)]));
    await waitUntil(() => started, 'the handler started');
    assert.equal(await worker.stop(50), false);
    await inbox.close();
    const next = SqliteInbox.open(dir);
    t.after(() => next.close());
    assert.deepEqual((await next.claim(10)).map((e) => e.update.update_id), [9]);
  });
});
