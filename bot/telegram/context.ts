/** The grammY context of this bot: the strings of its user's language, what came of the update (for the log), and its turn to search. */
import type { Context } from 'grammy';
import type { Messages } from '../presentation/i18n.js';

export type Outcome = 'handled' | 'answered' | 'not-found' | 'hint' | 'refused' | 'ignored' | 'superseded' | 'error';

export interface UpdateReport {
  outcome: Outcome;
  /** Quotes in the answer, when the update was a question. */
  results?: number;
}

export type BotContext = Context & {
  m: Messages;
  report: UpdateReport;
  /** Runs a search in its turn: the global limit on concurrent searches, shared fairly between users (admission.ts). */
  search: <T>(work: () => Promise<T>) => Promise<T>;
};
