/**
 * Readers' feedback, stored durably beside the index: a vote (👍/👎) per
 * reader and answer, and a "speaker wrong?" flag per reader and quoted
 * paragraph, with the name the reader suggests. Kept to what turning them into
 * fixes and test questions needs: pseudonyms (salted hashes, pseudonyms.ts)
 * instead of user and chat ids, the chat type, the question, the passages
 * shown by content hash and position, the vote, the time — no names, no
 * usernames. Paragraphs are keyed by content hash, so feedback outlives
 * rebuilds and follows a paragraph that moved.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Sql } from './sql.js';

export type Vote = 1 | -1;

/** Where feedback was given: Telegram's chat types, an inline result (its chat is not known), or the console. */
export type FeedbackChannel = 'private' | 'group' | 'supergroup' | 'channel' | 'inline' | 'console';

/** A passage of an answer: its paragraph's content hash (or the 12-character prefix a button held, when the index no longer has it) and its rank. */
export interface ShownPassage {
  hash: string;
  position: number;
}

export interface VoteRecord {
  /** The answer: a pseudonym of its message (chat and message id), of an inline message, or of a console answer. */
  answerKey: string;
  userHash: string;
  channel: FeedbackChannel;
  /** The question answered; null where it cannot be known (an inline result's button). */
  question: string | null;
  shown: ShownPassage[];
  vote: Vote;
}

/** A first vote, a vote turned around by a second tap, or the same tap again. */
export type VoteOutcome = 'new' | 'changed' | 'same';

export interface FlagRecord {
  contentHash: string;
  userHash: string;
  channel: FeedbackChannel;
  /** The speaker the reader was shown (the index's when flagged), and how the parser attributed it. */
  speakerShown: string | null;
  attributionShown: string | null;
  /** The right name, when the reader gives it with the flag (the console); in Telegram it comes later, suggestName. */
  suggestedName?: string;
}

/** A stored vote, as the report reads it. */
export interface StoredVote extends Omit<VoteRecord, 'userHash'> {
  createdAt: string;
  updatedAt: string;
}

export interface StoredFlag extends Omit<FlagRecord, 'userHash' | 'suggestedName'> {
  suggestedName: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What came of a name sent in reply to a "who said it?" prompt. */
export type NameOutcome = 'named' | 'not-yours' | 'unknown';

const shownSchema = z.array(z.object({ hash: z.string(), position: z.number() }));

/** Longest suggested name kept: names are short; anything longer is not a name. */
export const MAX_NAME_LENGTH = 40;

export class FeedbackStore {
  constructor(private readonly sql: Sql) {}

  get location(): string {
    return this.sql.location;
  }

  /** The salt of the pseudonyms: created once (random) and kept with the feedback, so that every replica and restart agrees. */
  async salt(): Promise<string> {
    await this.sql.query('INSERT INTO speechqa_feedback_salt (id, salt) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [
      crypto.randomBytes(32).toString('hex'),
    ]);
    const [row] = await this.sql.query<{ salt: string }>('SELECT salt FROM speechqa_feedback_salt WHERE id = 1');
    return row!.salt;
  }

  /** Stores a vote; a reader's second vote on an answer replaces the first. */
  async vote(record: VoteRecord, at = new Date()): Promise<VoteOutcome> {
    const [row] = await this.sql.query<{ previous_vote: number | null }>(
      `INSERT INTO speechqa_feedback_votes (answer_key, user_hash, chat_type, question, shown, vote, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
       ON CONFLICT (answer_key, user_hash) DO UPDATE
         SET previous_vote = speechqa_feedback_votes.vote, vote = excluded.vote, updated_at = excluded.updated_at
       RETURNING previous_vote`,
      [record.answerKey, record.userHash, record.channel, record.question, JSON.stringify(record.shown), record.vote, at.toISOString()],
    );
    const previous = row?.previous_vote ?? null;
    return previous === null ? 'new' : previous === record.vote ? 'same' : 'changed';
  }

  /** Stores a flag on a paragraph's speaker; resolves with whether this reader had flagged it before. */
  async flag(record: FlagRecord, at = new Date()): Promise<'new' | 'again'> {
    const time = at.toISOString();
    const [row] = await this.sql.query<{ created_at: string }>(
      `INSERT INTO speechqa_feedback_flags
         (content_hash, user_hash, chat_type, speaker_shown, attribution_shown, suggested_name, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
       ON CONFLICT (content_hash, user_hash) DO UPDATE
         SET suggested_name = coalesce(excluded.suggested_name, speechqa_feedback_flags.suggested_name), updated_at = excluded.updated_at
       RETURNING created_at`,
      [
        record.contentHash, record.userHash, record.channel, record.speakerShown, record.attributionShown,
        record.suggestedName?.slice(0, MAX_NAME_LENGTH) ?? null, time,
      ],
    );
    return row?.created_at === time ? 'new' : 'again';
  }

  /** The flag waits for a name sent in reply to the prompt known by `promptKey` (a pseudonym of its chat and message). */
  async awaitName(contentHash: string, userHash: string, promptKey: string): Promise<void> {
    await this.sql.query('UPDATE speechqa_feedback_flags SET prompt_key = $3 WHERE content_hash = $1 AND user_hash = $2', [
      contentHash,
      userHash,
      promptKey,
    ]);
  }

  /** The name a reader sent in reply to a prompt: stored on their flag; a later reply replaces it. */
  async suggestName(promptKey: string, userHash: string, name: string, at = new Date()): Promise<NameOutcome> {
    const named = await this.sql.query(
      `UPDATE speechqa_feedback_flags SET suggested_name = $3, updated_at = $4
       WHERE prompt_key = $1 AND user_hash = $2 RETURNING content_hash`,
      [promptKey, userHash, name.slice(0, MAX_NAME_LENGTH), at.toISOString()],
    );
    if (named.length > 0) return 'named';
    const other = await this.sql.query('SELECT 1 AS found FROM speechqa_feedback_flags WHERE prompt_key = $1', [promptKey]);
    return other.length > 0 ? 'not-yours' : 'unknown';
  }

  async votes(): Promise<StoredVote[]> {
    const rows = await this.sql.query<{
      answer_key: string; chat_type: FeedbackChannel; question: string | null; shown: string; vote: number; created_at: string; updated_at: string;
    }>('SELECT answer_key, chat_type, question, shown, vote, created_at, updated_at FROM speechqa_feedback_votes ORDER BY created_at, answer_key');
    return rows.map((row) => ({
      answerKey: row.answer_key,
      channel: row.chat_type,
      question: row.question,
      shown: shownSchema.parse(JSON.parse(row.shown)),
      vote: row.vote === 1 ? 1 : -1,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  async flags(): Promise<StoredFlag[]> {
    const rows = await this.sql.query<{
      content_hash: string; chat_type: FeedbackChannel; speaker_shown: string | null; attribution_shown: string | null;
      suggested_name: string | null; created_at: string; updated_at: string;
    }>(
      `SELECT content_hash, chat_type, speaker_shown, attribution_shown, suggested_name, created_at, updated_at
       FROM speechqa_feedback_flags ORDER BY created_at, content_hash`,
    );
    return rows.map((row) => ({
      contentHash: row.content_hash,
      channel: row.chat_type,
      speakerShown: row.speaker_shown,
      attributionShown: row.attribution_shown,
      suggestedName: row.suggested_name,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
