/**
 * The inbox's contract: an update is stored once whatever Telegram resends,
 * claimed by the process that stored it, else oldest first by one worker
 * only, not handed out again once done,
 * taken over when the process that claimed it is gone, and pruned once done
 * long enough. On the embedded SQLite file, and on PostgreSQL shared by two
 * replicas, where a claim is a lease that runs out when its replica dies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Update } from 'grammy/types';
import { pino } from 'pino';
import type { Inbox } from '../../bot/inbox/inbox.js';
import { PostgresInbox } from '../../bot/inbox/postgres-inbox.js';
import { InboxInUse, SqliteInbox } from '../../bot/inbox/sqlite-inbox.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { tempDir } from '../support/temp.js';
import { waitUntil } from '../support/wait.js';

const update = (id: number, text = `question ${id}`): Update =>
  ({ update_id: id, message: { message_id: id, date: 1_700_000_000, chat: { id: 1, type: 'private', first_name: 'A' }, text } }) as Update;
const ids = (entries: { update: Update }[]) => entries.map((e) => e.update.update_id);

describe('the embedded inbox (INDEX_DIR/inbox.sqlite)', () => {
  it('stores an update once, however often it arrives, keeps the first copy, and gives back only what was new', async (t) => {
    const inbox = SqliteInbox.open(tempDir('inbox', t));
    t.after(() => inbox.close());
    assert.deepEqual(ids(await inbox.add([update(5, 'first')])), [5]);
    const added = await inbox.add([update(7), update(5, 'again'), update(6)]);
    assert.deepEqual(ids(added), [6, 7], 'the new ones, oldest first');
    assert.deepEqual(added.map((e) => e.attempts), [1, 1]);
    assert.deepEqual(ids(await inbox.claim(10)), [], 'what was added is claimed by the process that added it');
    await inbox.release();
    const claimed = await inbox.claim(10);
    assert.deepEqual(ids(claimed), [5, 6, 7]);
    assert.equal(claimed[0]!.update.message?.text, 'first');
  });

  it('hands out the oldest first, each update to one claim only, and none that is done', async (t) => {
    const inbox: Inbox = SqliteInbox.open(tempDir('inbox', t));
    t.after(() => inbox.close());
    await inbox.add([update(12), update(10), update(11), update(9)]);
    await inbox.release();
    assert.deepEqual(ids(await inbox.claim(2)), [9, 10]);
    assert.deepEqual(ids(await inbox.claim(10)), [11, 12], 'claimed ones are not handed out again');
    await inbox.done(10);
    await inbox.release();
    assert.deepEqual(ids(await inbox.claim(10)), [9, 11, 12], 'released ones come back, done ones do not');
  });

  it('is held by one process: a second one is refused with a message; the next start takes over what was not done', async (t) => {
    const dir = tempDir('inbox', t);
    const first = SqliteInbox.open(dir);
    await first.add([update(1), update(2), update(3)]);
    await first.done(1);
    assert.throws(() => SqliteInbox.open(dir), (error: Error) => error instanceof InboxInUse && /in use by another bot process/.test(error.message));
    await first.close(); // as a killed process would: its claims stay in the file
    const next = SqliteInbox.open(dir);
    t.after(() => next.close());
    const claimed = await next.claim(10);
    assert.deepEqual(ids(claimed), [2, 3]);
    assert.deepEqual(claimed.map((e) => e.attempts), [2, 2], 'counted as a second attempt');
  });

  it('prunes only updates done before the given time', async (t) => {
    const inbox = SqliteInbox.open(tempDir('inbox', t));
    t.after(() => inbox.close());
    await inbox.add([update(1), update(2), update(3)]);
    await inbox.done(1);
    await inbox.done(2);
    assert.equal(await inbox.prune(new Date(Date.now() - 60_000)), 0);
    assert.equal(await inbox.prune(new Date(Date.now() + 60_000)), 2);
    await inbox.release();
    assert.deepEqual(ids(await inbox.claim(10)), [3]);
    assert.deepEqual(ids(await inbox.add([update(1)])), [1], 'a pruned update is new again');
  });
});

describe('the shared inbox (PostgreSQL, two replicas)', () => {
  let server: PostgresServer;
  const opened: PostgresInbox[] = [];
  const open = async (leaseMs: number) => {
    const inbox = await PostgresInbox.open(server.url, leaseMs, pino({ level: 'silent' }));
    opened.push(inbox);
    return inbox;
  };

  before(async () => {
    server = await startPostgres();
  });

  after(async () => {
    for (const inbox of opened) await inbox.close();
    await server?.stop();
  });

  it('stores an update once, hands out the oldest first, each to one replica, and none that is done', async () => {
    const [a, b] = [await open(60_000), await open(60_000)];
    assert.deepEqual(ids(await a.add([update(106), update(105, 'first')])), [105, 106]);
    assert.deepEqual(ids(await b.add([update(105, 'again'), update(107)])), [107], 'stored once, whichever replica it reaches');
    assert.deepEqual(ids(await b.claim(10)), [], 'what a replica stored is its own');
    await a.done(105);
    await a.release();
    const byB = await b.claim(10);
    assert.deepEqual(ids(byB), [106], 'released ones go to the other replica, done ones to nobody');
    await b.done(106);
    await b.done(107);
    await b.release();
    await a.add([update(108, 'only')]);
    await a.release();
    assert.equal((await b.claim(10))[0]?.update.message?.text, 'only');
    await b.done(108);
  });

  it('claims at the same moment take different updates (FOR UPDATE SKIP LOCKED)', async () => {
    const [a, b] = [await open(60_000), await open(60_000)];
    await a.add(Array.from({ length: 40 }, (_, i) => update(200 + i)));
    await a.release();
    const [byA, byB] = await Promise.all([a.claim(25), b.claim(25)]);
    const all = [...ids(byA), ...ids(byB)].sort((x, y) => x - y);
    assert.deepEqual(all, Array.from({ length: 40 }, (_, i) => 200 + i), 'every update claimed once');
    for (const id of all) await a.done(id);
  });

  it('a replica that dies leaves its updates to another once its lease runs out, and one that lives keeps them', async () => {
    const dying = await open(3_000);
    const living = await open(3_000);
    const other = await open(60_000);
    assert.deepEqual(ids(await dying.add([update(300), update(301)])), [300, 301]);
    assert.deepEqual(ids(await living.add([update(302)])), [302]);
    await dying.close(); // as a killed process would: its claims stay, unrenewed
    assert.deepEqual(ids(await other.claim(10)), [], 'not while the lease holds');
    let taken: number[] = [];
    await waitUntil(async () => (taken.push(...ids(await other.claim(10))), taken.length >= 2), 'the dead replica\'s updates claimed', 30_000, 200);
    assert.deepEqual(taken.sort((x, y) => x - y), [300, 301], 'the living replica renews its lease on 302');
  });

  it('prunes only updates done before the given time', async () => {
    const inbox = await open(60_000);
    await inbox.add([update(400), update(401)]);
    await inbox.done(400);
    assert.equal(await inbox.prune(new Date(Date.now() - 60_000)), 0);
    assert.ok((await inbox.prune(new Date(Date.now() + 60_000))) >= 1);
    assert.deepEqual(ids(await inbox.add([update(400), update(401)])), [400], 'a pruned update is new again, one not done is not');
  });
});
