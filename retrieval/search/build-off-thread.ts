/**
 * buildIndex in a worker thread. Parsing, segmentation and the HNSW graph are
 * long runs of synchronous work: on the main thread they would keep a bot
 * that builds at start-up from answering /healthz, its webhook and signals.
 * Off the thread, the caller stays responsive and can stop the build
 * (`signal` ends the worker; a build publishes only when it completes, so
 * nothing half-written is ever used). Log lines and the summary come back by
 * message; a RetrievalError keeps its code.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { RetrievalConfig } from '../config.js';
import { RetrievalError, type ErrorCode } from '../errors.js';
import type { BuildSummary } from '../index/build.js';
import { buildIndex } from './build.js';

type FromWorker =
  | { kind: 'log'; line: string }
  | { kind: 'done'; summary: BuildSummary }
  | { kind: 'failed'; code: ErrorCode | null; message: string; stack: string | undefined };

/** Thrown when `signal` stopped the build. */
export class BuildStoppedError extends Error {
  constructor() {
    super('the index build was stopped');
  }
}

export function buildIndexOffThread(config: RetrievalConfig, log: (line: string) => void, signal?: AbortSignal): Promise<BuildSummary> {
  if (signal?.aborted) return Promise.reject(new BuildStoppedError());
  // The worker runs TypeScript as this process does: tsx's loader hooks do not reach worker threads on Node 20.
  const entry = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })
    .then((module) => module.buildInWorker())`;
  const worker = new Worker(entry, { eval: true, workerData: config });
  return new Promise<BuildSummary>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', stop);
      finish();
    };
    const stop = () => settle(() => void worker.terminate().finally(() => reject(new BuildStoppedError())));
    signal?.addEventListener('abort', stop, { once: true });
    worker.on('message', (message: FromWorker) => {
      if (message.kind === 'log') log(message.line);
      else if (message.kind === 'done') settle(() => (resolve(message.summary), void worker.terminate()));
      else settle(() => reject(fromWorker(message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the index build ended without a result (worker exit code ${code})`))));
  });
}

function fromWorker(failure: Extract<FromWorker, { kind: 'failed' }>): Error {
  const error = failure.code ? new RetrievalError(failure.code, failure.message) : new Error(failure.message);
  if (failure.stack) error.stack = failure.stack;
  return error;
}

/** The worker's side: builds with the config it was given and reports back. */
export async function buildInWorker(): Promise<void> {
  const port = parentPort!;
  const post = (message: FromWorker) => port.postMessage(message);
  try {
    const summary = await buildIndex(workerData as RetrievalConfig, (line) => post({ kind: 'log', line }));
    post({ kind: 'done', summary });
  } catch (error) {
    const code = error instanceof RetrievalError ? error.code : null;
    post({ kind: 'failed', code, message: (error as Error).message ?? String(error), stack: (error as Error).stack });
  }
}
