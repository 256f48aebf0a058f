/**
 * Long polling into the inbox. getUpdates confirms the updates of the previous
 * call (its offset is past them), so each batch is stored before the next call
 * is made: an update Telegram has forgotten is always in the inbox.
 *
 * The fetching is @grammyjs/runner's (createUpdateFetcher: the offset, retries
 * with back-off, and 401/409 thrown as errors no retry can cure); only its
 * sink is replaced by the inbox, because the runner's own confirms an update
 * as soon as it is taken in memory.
 */
import { createUpdateFetcher } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Inbox, InboxEntry } from '../inbox/inbox.js';
import type { BotContext } from './context.js';
import type { Logger } from './log.js';

/** Back-off of a failed write to the inbox: the updates stay unconfirmed at Telegram meanwhile. */
const FIRST_WAIT_MS = 500;
const LONGEST_WAIT_MS = 30_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Polls until `signal` aborts; rejects with what Telegram will not allow (a refused token, another poller). */
/** `stored` gets the updates that were new, stored and claimed by this process. */
export async function pollIntoInbox(
  bot: Bot<BotContext>,
  inbox: Inbox,
  stored: (entries: InboxEntry[]) => void,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const fetchUpdates = createUpdateFetcher(bot, { silent: true });
  // The runner types its signal with the abort-controller shim's type; Node's own is what it uses at run time.
  const fetchSignal = signal as unknown as Parameters<typeof fetchUpdates>[1];
  while (!signal.aborted) {
    let updates: Update[];
    try {
      updates = await fetchUpdates(100, fetchSignal);
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    if (updates.length === 0) continue;
    let entries: InboxEntry[];
    for (let waitMs = FIRST_WAIT_MS; ; waitMs = Math.min(waitMs * 2, LONGEST_WAIT_MS)) {
      try {
        entries = await inbox.add(updates);
        break;
      } catch (error) {
        // Not confirmed yet: Telegram delivers them again, to this process or the next start.
        logger.error({ updates: updates.map((u) => u.update_id), error: String(error) }, `could not store updates in ${inbox.location}; trying again`);
        await sleep(waitMs, signal);
        if (signal.aborted) return;
      }
    }
    stored(entries);
  }
}
