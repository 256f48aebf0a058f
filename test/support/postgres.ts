/**
 * A PostgreSQL database for tests. By default, offline and without setup:
 * PGlite (PostgreSQL 18 compiled to WebAssembly) with pgvector, behind
 * @electric-sql/pglite-socket on 127.0.0.1, started from the dev
 * dependencies, in memory: gone when stopped.
 *
 * With TEST_DATABASE_URL (a real server, e.g. the one `pg-test-server start` from the shared folder beside the checkout prints; CI sets it):
 * a fresh database of its own on that server for each call, dropped when stopped, so that suites never see each
 * other's tables.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}


/**
 * Starts a server (with pgvector unless `extensions` says otherwise) and resolves once it accepts connections. A
 * server without pgvector is always PGlite: a real server has the extension to give.
 */
export async function startPostgres({ extensions = ['@electric-sql/pglite-pgvector:vector'] } = {}): Promise<PostgresServer> {
  const real = process.env['TEST_DATABASE_URL'];
  if (real && extensions.length > 0) return freshDatabase(real);
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

/** Runs one statement on the server of `url`, outside any transaction (CREATE and DROP DATABASE need that). */
async function run(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function freshDatabase(serverUrl: string): Promise<PostgresServer> {
  const name = `speechqa_test_${crypto.randomBytes(6).toString('hex')}`;
  await run(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: replicas a test killed may leave connections the server has not noticed yet.
    stop: () => run(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
