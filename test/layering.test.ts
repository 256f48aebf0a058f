/**
 * The house's rules, checked on the import statements of every source file:
 * retrieval's stages import only from themselves, an earlier stage or the
 * shared modules at its top (ingest → index → search), nothing imports in a
 * circle, and bot/ and scripts/ reach retrieval only through retrieval/api.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_FOLDERS = ['bot', 'retrieval', 'scripts'];
const STAGES = ['ingest', 'index', 'search'];
const PUBLIC_ENTRY = 'retrieval/api.ts';
/** Benchmarks and tools that measure or use retrieval's inside, and why. */
const DEEP_IMPORTS_ALLOWED: Record<string, string> = {
  'scripts/bench.ts': 'measures the HNSW index (VectorIndex) itself, with seeded random vectors',
  'scripts/bench-stores.ts':
    'recombines the parsed corpus (readCorpus) with a seeded random, shares the embedding cache file between stores, and times the raw FTS5 query of the terms search sends as the floor',
  'scripts/test-model.ts': 'generates the tiny test model with the seeded random generator',
};

type Graph = Map<string, string[]>;

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** Every relative import (static, side-effect or dynamic) of the project's source files, as paths from the root. */
function importGraph(): Graph {
  const graph: Graph = new Map();
  for (const file of SOURCE_FOLDERS.flatMap(sourceFiles)) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
    graph.set(file, specifiers.map((s) => path.join(path.dirname(file), s).replace(/\.js$/, '.ts')));
  }
  return graph;
}

/** One import circle, as the files along it, or null. */
function findCycle(graph: Graph): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null;
    if (state.get(file) === 'open') return [...trail.slice(trail.indexOf(file)), file];
    state.set(file, 'open');
    trail.push(file);
    for (const target of graph.get(file) ?? []) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(file, 'done');
    return null;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

/** The stage of a file in retrieval/ (its index in STAGES), -1 for a shared top-level module, undefined outside. */
function stageOf(file: string): number | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'retrieval') return undefined;
  return parts.length === 2 ? -1 : STAGES.indexOf(parts[1]!);
}

/** Imports that break the rules, as "from → to: why". */
function violations(graph: Graph): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const why = ruleBroken(file, target);
      if (why) found.push(`${file} → ${target}: ${why}`);
    }
  }
  return found;
}

function ruleBroken(file: string, target: string): string | null {
  const from = stageOf(file);
  const to = stageOf(target);
  if (from !== undefined) {
    if (to === undefined) return 'retrieval imports nothing outside retrieval/';
    if (file === PUBLIC_ENTRY) return null;
    if (target === PUBLIC_ENTRY) return 'the public entry is for bot/ and scripts/, not for retrieval itself';
    if (from === -1 && to !== -1) return 'a shared top-level module imports no stage';
    if (to > from) return `stage ${STAGES[from]} imports a later stage, ${STAGES[to]}`;
    return null;
  }
  if (to !== undefined && target !== PUBLIC_ENTRY && !(file in DEEP_IMPORTS_ALLOWED)) return `outside retrieval/, only ${PUBLIC_ENTRY} is imported`;
  const [top, area] = file.split('/');
  const [targetTop, targetArea] = target.split('/');
  if (top === 'bot' && targetTop === 'bot') {
    if (area === 'presentation' && targetArea !== 'presentation') return 'presentation is pure: it imports no Telegram plumbing, feature or console';
    if (area === 'console' && (targetArea === 'telegram' || targetArea === 'features')) return 'the console stands beside Telegram, not on it';
  }
  return null;
}

describe('layering', () => {
  const graph = importGraph();

  it('reads the imports of every source file', () => {
    assert.ok(graph.has(PUBLIC_ENTRY) && graph.has('retrieval/search/search.ts') && graph.has('bot/telegram/bot.ts'));
    assert.ok(graph.get('retrieval/search/search.ts')!.length > 0);
  });

  it('has no import circle', () => {
    assert.equal(findCycle(graph)?.join(' → ') ?? null, null);
  });

  it('imports never run to a later stage, and bot/ and scripts/ reach retrieval only through its public entry', () => {
    assert.deepEqual(violations(graph), []);
  });

  it('every script allowed deep imports still needs them', () => {
    for (const file of Object.keys(DEEP_IMPORTS_ALLOWED)) {
      const deep = (graph.get(file) ?? []).filter((target) => stageOf(target) !== undefined && target !== PUBLIC_ENTRY);
      assert.ok(deep.length > 0, `${file} no longer imports retrieval's inside: remove it from the list`);
    }
  });

  it('the checks catch a circle, an upward import and a deep import from the bot', () => {
    const bad: Graph = new Map([
      ['retrieval/ingest/a.ts', ['retrieval/search/b.ts']],
      ['retrieval/search/b.ts', ['retrieval/ingest/a.ts']],
      ['bot/x.ts', ['retrieval/index/c.ts']],
      ['bot/presentation/y.ts', ['bot/telegram/z.ts']],
    ]);
    assert.deepEqual(findCycle(bad), ['retrieval/ingest/a.ts', 'retrieval/search/b.ts', 'retrieval/ingest/a.ts']);
    assert.deepEqual(violations(bad).map((v) => v.split(':')[0]), [
      'retrieval/ingest/a.ts → retrieval/search/b.ts',
      'bot/x.ts → retrieval/index/c.ts',
      'bot/presentation/y.ts → bot/telegram/z.ts',
    ]);
  });
});
