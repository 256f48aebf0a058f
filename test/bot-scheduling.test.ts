/** The fair scheduler and the send pacer on their own: who goes next, and how many start per second. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FairScheduler } from '../bot/telegram/fair-scheduler.js';
import { isSendingMethod, SendPacer } from '../bot/telegram/send-pacer.js';

/** Runs jobs through `scheduler` and returns the order they ran in; the first job holds the only slot until all are queued. */
async function runOrder(jobs: { user: string; sentAt: number }[]): Promise<string[]> {
  const scheduler = new FairScheduler(1, 1);
  const ran: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const done = jobs.map((job, i) =>
    scheduler.run(job.user, job.sentAt, async () => {
      ran.push(`${job.user}${i}`);
      if (i === 0) await gate;
    }),
  );
  assert.equal(scheduler.depth, jobs.length - 1);
  release();
  await Promise.all(done);
  return ran;
}

describe('fair scheduling of searches', () => {
  it('a flooder\'s backlog does not delay a question another user sent at the same time', async () => {
    const t = 1_700_000_000;
    const flood = Array.from({ length: 6 }, () => ({ user: 'f', sentAt: t }));
    assert.deepEqual(await runOrder([...flood, { user: 'b', sentAt: t + 1 }]), ['f0', 'f1', 'b6', 'f2', 'f3', 'f4', 'f5']);
  });

  it('questions delivered together after an outage run by their message dates, not by arrival', async () => {
    const t = 1_700_000_000;
    const order = await runOrder([
      { user: 'a', sentAt: t }, { user: 'a', sentAt: t + 5 }, { user: 'a', sentAt: t + 10 },
      { user: 'b', sentAt: t + 2 }, { user: 'b', sentAt: t + 7 },
    ]);
    assert.deepEqual(order, ['a0', 'b3', 'a1', 'b4', 'a2']);
  });
});

describe('pacing of sent messages', () => {
  it('serves callers in order, also those past the limit of a second', async () => {
    const pacer = new SendPacer(3);
    const started: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => pacer.turn().then(() => started.push(i))));
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
  });

  it('counts only sending methods', () => {
    assert.ok(isSendingMethod('sendMessage') && isSendingMethod('copyMessage'));
    assert.ok(!isSendingMethod('sendChatAction') && !isSendingMethod('answerCallbackQuery') && !isSendingMethod('getUpdates'));
  });
});
