/** Temporary folders for tests, removed when the test ends. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { loadRetrievalConfig, type RetrievalConfig } from '../../retrieval/config.js';
import { readCorpus } from '../../retrieval/ingest/corpus.js';
import { seedSentences, syntheticCorpus, writeCorpusFiles } from '../../scripts/bench-stores.js';
import { writeTestModel } from '../../scripts/test-model.js';

const removeAtExit = new Set<string>();
process.once('exit', () => removeAtExit.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A temporary folder, removed after the test `t`, or when the test process exits. */
export function tempDir(prefix: string, t?: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  if (t) t.after(remove);
  else removeAtExit.add(dir);
  return dir;
}

/**
 * One temporary folder holding the files of the fixture corpora `names` (folders of test/fixtures), each file named
 * after its folder (water-001_water.txt): a corpus the test owns and may change.
 */
export function fixtureCorpus(names: string[], t?: TestContext): string {
  const dir = tempDir('corpus', t);
  for (const name of names) {
    const from = path.resolve('test/fixtures', name);
    for (const file of fs.readdirSync(from)) fs.copyFileSync(path.join(from, file), path.join(dir, `${name}-${file}`));
  }
  return dir;
}

/**
 * A corpus of `paragraphs` paragraphs recombined from the sentences of the fixture corpora (the stores benchmark's
 * generator): large enough that building it takes a few seconds, for tests that act while a build runs.
 */
export function largeCorpus(paragraphs: number, t?: TestContext): string {
  const fixtures = readCorpus(fixtureCorpus(['water-corpus', 'research-corpus', 'console-corpus'], t));
  const texts = fixtures.documents.flatMap((d) => d.sections.flatMap((s) => s.paragraphs.map((p) => p.text)));
  const dir = tempDir('large-corpus', t);
  writeCorpusFiles(dir, syntheticCorpus(seedSentences(texts), paragraphs));
  return dir;
}

/** How many paragraphs the parser reads from the corpus in `dir`: what an index built from it holds. */
export function paragraphCount(dir: string): number {
  return readCorpus(dir).documents.reduce((sum, document) => sum + document.sections.reduce((n, section) => n + section.paragraphs.length, 0), 0);
}

/** The generated test model (once per test file). */
let testModel: Promise<string> | null = null;
export function testModelDir(): Promise<string> {
  testModel ??= (async () => {
    const dir = path.join(tempDir('model'), 'tiny-bert');
    await writeTestModel(dir);
    return dir;
  })();
  return testModel;
}

export function testConfig(overrides: Record<string, string>): RetrievalConfig {
  return loadRetrievalConfig({ ALLOW_REMOTE_MODELS: 'false', MODELS_DIR: tempDir('models'), ...overrides });
}
