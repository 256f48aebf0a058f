/**
 * Structured logs (pino), one JSON line each on stderr, or readable lines on a
 * terminal. LOG_LEVEL sets the level; the token is blotted out of every line
 * that might carry it (an error message quoting a URL).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, token: string | undefined): Logger {
  const pretty = process.stderr.isTTY === true;
  return pino({
    level,
    ...(token ? { hooks: { streamWrite: (line: string) => line.replaceAll(token, '<token>') } } : {}),
    ...(pretty ? { transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss' } } } : {}),
  }, pretty ? undefined : pino.destination({ fd: 2, sync: true }));
}
