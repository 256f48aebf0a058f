/** Errors the fake answers with, as Telegram words them. */

// Telegram's descriptions
export const QUERY_ID_INVALID = 'query is too old and response timeout expired or query ID is invalid';
export const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same ' +
  'as a current content and reply markup of the message';

/** An error answered to the bot as `{ok: false, error_code, description}`. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

export const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

/**
 * Telegram's answer to a long poll superseded by a newer getUpdates. Not recorded
 * as a rejection: grammY's bot.stop() aborts its poll and immediately polls again,
 * so the old poll may still be pending here although nobody waits for it.
 */
export class TerminatedPoll extends ApiError {
  constructor() {
    super(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
  }
}
