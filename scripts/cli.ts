/** What every command-line entry point shares: configuration, and errors printed as one clear line. */
import { loadDotEnv, loadRetrievalConfig, type RetrievalConfig, RetrievalError } from '../retrieval/api.js';

/** Runs a command; a RetrievalError becomes its message and exit code 1, anything else a stack trace. */
export function runCommand(main: (config: RetrievalConfig) => Promise<void>): void {
  const run = async (): Promise<void> => {
    loadDotEnv();
    await main(loadRetrievalConfig());
  };
  run().catch((error: unknown) => {
    if (error instanceof RetrievalError) console.error(`error: ${error.message}`);
    else if (error instanceof TypeError && 'code' in error && error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`error: ${error.message}`);
    } else console.error(error);
    process.exitCode = 1;
  });
}

/** The corpus's warnings as `npm run build-index` prints them (and `npm start` in the console): a count, then one line each. */
export function warningLines(warnings: string[]): string[] {
  return [`warnings:   ${warnings.length}`, ...warnings.map((warning) => `  - ${warning}`)];
}
