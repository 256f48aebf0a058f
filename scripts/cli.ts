/**
 * What every command-line entry point shares: its command line (options, `--help`), configuration, and errors
 * printed as one clear line.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { loadDotEnv, loadRetrievalConfig, type RetrievalConfig, RetrievalError } from '../retrieval/api.js';

/** An option as `parseArgs` takes it, with what `--help` says of it. */
export type CommandOption = ParseArgsOptionsConfig[string] & {
  /** What it does. */
  help: string;
  /** The name of its value in the help (`--top N`); a string option without one shows `VALUE`. */
  value?: string;
};

export interface CommandSpec<O extends Record<string, CommandOption>> {
  /** The npm script: `ask` for `npm run ask`, `start` for `npm start`. */
  name: string;
  /** What it does, a few lines. */
  about: string;
  options: O;
  /** The positional arguments in the usage line (`"question"`); absent when the command takes none. */
  positionals?: string;
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

export type ParsedCommandLine<O extends Record<string, CommandOption>> = ReturnType<typeof parseArgs<{ options: O & typeof HELP; allowPositionals: true; args: string[] }>>;

function invocation(name: string): string {
  return name === 'start' || name === 'test' ? `npm ${name}` : `npm run ${name}`;
}

/** The text of `--help`: usage, what the command does, its options with their defaults. */
export function helpText<O extends Record<string, CommandOption>>(spec: CommandSpec<O>): string {
  const flag = (name: string, option: CommandOption) => {
    const value = option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : '';
    return `${option.short ? `-${option.short}, ` : ''}--${name}${value}`;
  };
  const rows: [string, string][] = [
    ...Object.entries(spec.options).map(([name, option]): [string, string] => {
      const fallback = option.default !== undefined && option.default !== false ? ` (default: ${String(option.default)})` : '';
      return [flag(name, option), `${option.help}${fallback}`];
    }),
    ['-h, --help', 'show this help'],
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  const usage = [invocation(spec.name), '--', Object.keys(spec.options).length > 0 ? '[options]' : '', spec.positionals ?? ''].filter(Boolean);
  return [
    `usage: ${usage.length > 2 ? usage.join(' ') : invocation(spec.name)}`,
    '',
    spec.about,
    '',
    'options:',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
    'Settings (CORPUS_DIR, INDEX_DIR, EMBEDDING_MODEL …) come from the environment or .env: see README.md, "Configuration".',
    '',
  ].join('\n');
}

/**
 * The command line read by `spec`. An unknown option, a missing value or an argument the command does not take is a
 * RetrievalError that points to `--help`.
 */
export function parseCommandLine<O extends Record<string, CommandOption>>(spec: CommandSpec<O>, args: string[]): ParsedCommandLine<O> {
  let parsed: ParsedCommandLine<O>;
  try {
    parsed = parseArgs({ options: { ...spec.options, ...HELP }, allowPositionals: true, args });
  } catch (error) {
    if (!(error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) throw error;
    throw new RetrievalError('CONFIG_INVALID', `${error.message.split('. To specify')[0]}; \`${invocation(spec.name)} -- --help\` lists the options`);
  }
  if (!spec.positionals && parsed.positionals.length > 0) {
    throw new RetrievalError('CONFIG_INVALID', `${invocation(spec.name)} takes no argument "${parsed.positionals[0]}"; \`${invocation(spec.name)} -- --help\` lists the options`);
  }
  return parsed;
}

/**
 * Runs a command: `--help` prints its help and does nothing else; otherwise the command line and the configuration
 * are read and `main` runs. A RetrievalError becomes its message and exit code 1, anything else a stack trace.
 */
export function runCommand<O extends Record<string, CommandOption>>(
  spec: CommandSpec<O>,
  main: (config: RetrievalConfig, line: ParsedCommandLine<O>) => Promise<void>,
): void {
  const run = async (): Promise<void> => {
    const line = parseCommandLine(spec, process.argv.slice(2));
    if ((line.values as { help?: boolean }).help) {
      process.stdout.write(helpText(spec));
      return;
    }
    loadDotEnv();
    await main(loadRetrievalConfig(), line);
  };
  run().catch((error: unknown) => {
    if (error instanceof RetrievalError) console.error(`error: ${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  });
}

/** The corpus's warnings as `npm run build-index` prints them (and `npm start` in the console): a count, then one line each. */
export function warningLines(warnings: string[]): string[] {
  return [`warnings:   ${warnings.length}`, ...warnings.map((warning) => `  - ${warning}`)];
}
