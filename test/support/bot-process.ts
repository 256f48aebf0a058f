/** `npm start` as a child process, as people run it: its output collected, stopped and awaited by the test. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { RetrievalConfig } from '../../retrieval/config.js';
import { DEFAULT_TOKEN, type FakeBotApi } from './fake-bot-api/index.js';

export interface StartedProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` and waits for the exit code, killing the process (code null) if it takes longer than `timeoutMs`. */
  stop: (signal?: NodeJS.Signals, timeoutMs?: number) => Promise<{ code: number | null }>;
}

export function startScript(env: Record<string, string | undefined>, stdin: 'pipe' | 'ignore' = 'ignore'): StartedProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, TELEGRAM_BOT_TOKEN: '', ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return { code };
  };
  return { child, stdout: () => out, stderr: () => err, exited, stop };
}

/**
 * The bot process talking to a fake Bot API, returned once `readyMethod` (its
 * last call before it serves updates) has arrived from it (not from a bot
 * started earlier against the same fake).
 */
export async function startBotAgainst(
  fake: FakeBotApi,
  config: RetrievalConfig,
  env: Record<string, string>,
  readyMethod: 'deleteWebhook' | 'setWebhook',
): Promise<StartedProcess> {
  const since = fake.calls.length;
  const bot = startScript({
    TELEGRAM_BOT_TOKEN: DEFAULT_TOKEN,
    TELEGRAM_API_ROOT: fake.apiRoot,
    INDEX_DIR: config.INDEX_DIR,
    CORPUS_DIR: config.CORPUS_DIR,
    MODELS_DIR: config.MODELS_DIR,
    ALLOW_REMOTE_MODELS: 'false',
    ...env,
  });
  await fake.waitForCall((c) => c.method === readyMethod, { since, timeoutMs: 30_000 }).catch((error: Error) => {
    throw new Error(`${error.message}\nbot stderr:\n${bot.stderr()}`);
  });
  return bot;
}
