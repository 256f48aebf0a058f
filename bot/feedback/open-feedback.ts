/** The feedback of this configuration: tables in the shared database with DATABASE_URL, else a file in INDEX_DIR. */
import type { RetrievalConfig } from '../../retrieval/api.js';
import { FeedbackStore } from './feedback-store.js';
import { Pseudonyms } from './pseudonyms.js';
import { openSharedFeedback, openSqliteFeedback } from './sql.js';

export interface Feedback {
  store: FeedbackStore;
  pseudonyms: Pseudonyms;
}

export function openFeedbackStore(config: Pick<RetrievalConfig, 'INDEX_DIR' | 'DATABASE_URL'>): FeedbackStore {
  return new FeedbackStore(config.DATABASE_URL ? openSharedFeedback(config.DATABASE_URL) : openSqliteFeedback(config.INDEX_DIR));
}

/** The store, with pseudonyms salted by `salt` (FEEDBACK_SALT) or else by the salt kept with the feedback. */
export async function openFeedback(config: Pick<RetrievalConfig, 'INDEX_DIR' | 'DATABASE_URL'>, salt: string | undefined): Promise<Feedback> {
  const store = openFeedbackStore(config);
  try {
    return { store, pseudonyms: new Pseudonyms(salt ?? (await store.salt())) };
  } catch (error) {
    await store.close();
    throw error;
  }
}
