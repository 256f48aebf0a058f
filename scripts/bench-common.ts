/** What the benchmark parts share: timing, percentiles, Markdown tables, the machine note and the dev questions. */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { RetrievalError } from '../retrieval/api.js';

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function elapsedMs<T>(work: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

export async function elapsedMsAsync<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

/** Nearest-rank percentile: with 30 samples p95 is the second largest, so read it as a rough tail. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function mean(samples: number[]): number {
  return samples.reduce((sum, x) => sum + x, 0) / samples.length;
}

export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function machineFacts(): string {
  const cpus = os.cpus();
  return (
    `Machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
    `Node ${process.version}, ${os.platform()} ${os.release()}.\n\n` +
    '> Numbers come from a shared, noisy machine: only ratios within one run are meaningful, not absolute times across runs.'
  );
}

/** The `q` of every line of a JSONL question file (the dev set's format). */
export function readQuestions(file: string): string[] {
  if (!fs.existsSync(file)) throw new RetrievalError('CONFIG_INVALID', `--questions: ${file} does not exist`);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { q: string }).q);
}
