/**
 * One catalogue of the errors the retrieval layer reports to people. Each code
 * has a message that says what went wrong and what to do about it, so the CLI
 * and the bot can print `error.message` as is.
 */
export const errorMessages = {
  CONFIG_INVALID: (details: string) =>
    `Invalid configuration: ${details}. Fix the environment variable (or .env entry) named above; see README.md, "Configuration".`,
  META_INVALID: (file: string, details: string) =>
    `Invalid metadata file ${file}: ${details}. Fix or delete the file, then run \`npm run build-index\` again.`,
  CORPUS_MISSING: (dir: string) =>
    `Corpus folder ${dir} does not exist or holds no .txt files. Set CORPUS_DIR to a folder of UTF-8 or GB18030 text files.`,
  INDEX_MISSING: (dir: string) =>
    `No index in ${dir}. Build it with \`npm run build-index\`.`,
  INDEX_SCHEMA_MISMATCH: (found: string, expected: number) =>
    `The index was written with schema version ${found}, this program needs version ${expected}. Rebuild it with \`npm run build-index\`.`,
  INDEX_MANIFEST_MISMATCH: (details: string) =>
    `The vector index does not match the database (${details}). Rebuild it with \`npm run build-index\`.`,
  DATABASE_NO_PGVECTOR: (reason: string) =>
    `CREATE EXTENSION vector failed: install pgvector ≥ 0.5 on the server, or have its owner run CREATE EXTENSION vector (${reason}).`,
  DATABASE_UNREACHABLE: (location: string, reason: string) =>
    `Cannot use the database at ${location} (${reason}). Check DATABASE_URL (host, port, user, password, database) and that the server is running.`,
  DATABASE_BUILD_RUNNING: (location: string) =>
    `Another build is writing to the database at ${location}. Wait for it to finish, then run \`npm run build-index\` again if needed.`,
  MODEL_UNAVAILABLE: (model: string, reason: string, advice: string) =>
    `Embedding model "${model}" could not be loaded (${reason}). ${advice} Continuing with full-text search only.`,
  MODEL_DOWNLOAD_FAILED: (model: string, reason: string, advice: string) => `Could not fetch "${model}" (${reason}). ${advice}`,
  QUERY_EMPTY: () => `The question is empty. Type a few words, for example "养老服务" or "集团化办学有几种模式".`,
  QUERY_NO_WORDS: () =>
    `The question holds no words to search for (only punctuation, symbols or emoji). Type a few words in Chinese or English.`,
  UNKNOWN_SPEAKER: (name: string, known: string) =>
    `No speaker named "${name}" in the corpus. Known speakers include: ${known}.`,
  UNKNOWN_SOURCE: (name: string, known: string) =>
    `No document matches "${name}". Documents: ${known}.`,
} as const;

export type ErrorCode = keyof typeof errorMessages;
/** What the message of an error with code `C` is made from (for UNKNOWN_SPEAKER: the name asked for, the names known). */
export type ErrorDetails<C extends ErrorCode> = Parameters<(typeof errorMessages)[C]>;

/** An error a person can act on: `code` for programs, `message` for people. */
export class RetrievalError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    private readonly details: readonly unknown[] | null = null,
  ) {
    super(message);
    this.name = 'RetrievalError';
  }

  /** The details its message was made from, if it has this code and was made by `retrievalError`: what the caller needs to say more than the message does. */
  detailsOf<C extends ErrorCode>(code: C): ErrorDetails<C> | null {
    return this.code === code && this.details ? (this.details as ErrorDetails<C>) : null;
  }
}

export function retrievalError<C extends ErrorCode>(
  code: C,
  ...args: Parameters<(typeof errorMessages)[C]>
): RetrievalError {
  const format = errorMessages[code] as (...a: unknown[]) => string;
  return new RetrievalError(code, format(...args), args);
}
