/**
 * The inbox worker on a real SQLite inbox: what an earlier process left is
 * handed out first, oldest first, before what arrives now; every handled
 * update is marked done; an update that ended the process on every attempt is
 * set aside with its id in the log; a stop that cannot wait for a handler
 * leaves its update to the next start.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { Update } from 'grammy/types';
import { pino } from 'pino';
import { InboxWorker } from '../bot/inbox/inbox-worker.js';
import { SqliteInbox } from '../bot/inbox/sqlite-inbox.js';
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
    const worker = new InboxWorker(inbox, async (u) => void handled.push(u.update_id), logger);
    await worker.start();
    worker.take(await inbox.add([update(4)]));
    await waitUntil(() => handled.length === 4, 'four updates handled');
    assert.deepEqual(handled, [1, 2, 3, 4]);
    assert.equal(await worker.stop(1_000), true);
    await inbox.release();
    assert.deepEqual(await inbox.claim(10), [], 'all done');
    assert.deepEqual(await inbox.add([update(2)]), [], 'a done update sent again is not new');
  });

  it('sets aside an update whose handling ended the process five times, with its id in the log', async (t) => {
    const dir = tempDir('inbox-worker', t);
    for (let attempt = 0; attempt < 6; attempt++) {
      const crashed = SqliteInbox.open(dir);
      if (attempt === 0) await crashed.add([update(7)]);
      else await crashed.claim(10);
      await crashed.close();
    }
    const inbox = SqliteInbox.open(dir);
    t.after(() => inbox.close());
    const handled: number[] = [];
    const { logger, lines } = collectingLogger();
    const worker = new InboxWorker(inbox, async (u) => void handled.push(u.update_id), logger);
    await worker.start();
    await waitUntil(() => lines.some((line) => line['update'] === 7), 'the log line of update 7');
    await worker.stop(1_000);
    assert.deepEqual(handled, []);
    assert.match(String(lines.find((line) => line['update'] === 7)?.['msg']), /set aside/);
    await inbox.release();
    assert.deepEqual(await inbox.claim(10), [], 'not handed out again');
  });

  it('a stop that cannot wait for a handler leaves its update to the next start', async (t) => {
    const dir = tempDir('inbox-worker', t);
    const inbox = SqliteInbox.open(dir);
    const { logger } = collectingLogger();
    let started = false;
    const worker = new InboxWorker(inbox, () => ((started = true), new Promise<void>(() => {})), logger);
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
