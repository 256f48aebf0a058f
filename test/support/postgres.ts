/**
 * A real PostgreSQL wire endpoint for tests, offline: PGlite (PostgreSQL 18
 * compiled to WebAssembly) with pgvector, behind @electric-sql/pglite-socket
 * on 127.0.0.1, started from the dev dependencies. In memory: gone when stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port.js';

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}


/** Starts a server (with pgvector unless `extensions` says otherwise) and resolves once it accepts connections. */
export async function startPostgres({ extensions = ['@electric-sql/pglite-pgvector:vector'] } = {}): Promise<PostgresServer> {
  const port = await freePort();
  const bin = path.resolve('node_modules/.bin/pglite-server');
  const extensionArgs = extensions.length > 0 ? ['-e', extensions.join(',')] : [];
  const child: ChildProcess = spawn(bin, ['--port', String(port), ...extensionArgs, '-m', '32'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pglite-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pglite-server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
