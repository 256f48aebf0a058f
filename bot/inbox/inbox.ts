/**
 * The durable inbox: every update is stored here before Telegram is told it
 * arrived (the next getUpdates offset in polling, the 200 in webhook mode), and
 * answered from here (inbox-worker.ts), so that a process that dies loses no
 * question: what it had not finished is answered by the next start, or by
 * another replica.
 *
 * Telegram's update_id is the key, so an update delivered twice is stored,
 * and answered, once. The process that stores an update claims it at once
 * and answers it; claims are what keep two workers off the same update, and
 * the updates of a process that is gone are claimed by the next one (or by
 * another replica). An update is marked done when its reply was sent.
 * Two homes: a SQLite file beside the index builds (sqlite-inbox.ts), or a
 * table of the shared database (postgres-inbox.ts).
 */
import type { Update } from 'grammy/types';
import { z } from 'zod';

/** What is taken as an update: an object with a numeric update_id (grammY ignores fields it does not know). */
export const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

/** Done updates are kept this long, so that Telegram's redelivery of one (it keeps updates 24 hours) finds it answered. */
export const KEEP_DONE_MS = 24 * 60 * 60 * 1000;

/** A claimed update, with how many times it has been claimed (this time included). */
export interface InboxEntry {
  update: Update;
  attempts: number;
}

export interface Inbox {
  /** Where the inbox is, for messages (a file, or the database without its password). */
  readonly location: string;
  /**
   * Stores updates, claimed by this process, and resolves once they are durable with those that were new, oldest
   * first; one already stored (Telegram sent it again) is left as it is and not returned.
   */
  add(updates: readonly Update[]): Promise<InboxEntry[]>;
  /** Claims up to `limit` updates that are neither done nor claimed by a live worker, oldest first. */
  claim(limit: number): Promise<InboxEntry[]>;
  /** The update was answered (or its failure told to the user): it is not to be handled again. */
  done(updateId: number): Promise<void>;
  /** Gives up this process's claims on updates not done, for the next start or another replica to take at once. */
  release(): Promise<void>;
  /** Deletes updates done before `before`; resolves with how many. */
  prune(before: Date): Promise<number>;
  close(): Promise<void>;
}

/** The stored form of an update back to an update; a row that is not one is a bug worth a loud error. */
export function storedUpdate(value: unknown): Update {
  return updateSchema.parse(typeof value === 'string' ? JSON.parse(value) : value) as unknown as Update;
}
