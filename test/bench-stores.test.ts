/** The synthetic corpus of the stores benchmark: the real parser must read it as the number of paragraphs asked for. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';
import { readCorpus } from '../retrieval/ingest/corpus.js';
import { seedSentences, syntheticCorpus, writeCorpusFiles } from '../scripts/bench-stores.js';
import { tempDir } from './support/temp.js';

function paragraphTexts(dir: string): string[] {
  return readCorpus(dir).documents.flatMap((d) => d.sections.flatMap((s) => s.paragraphs.map((p) => p.text)));
}

it('recombines the corpus sentences into exactly the paragraphs asked for, the same each time', (t) => {
  const sentences = seedSentences(paragraphTexts(path.resolve('test/fixtures/seed-corpus')));
  assert.ok(sentences.length > 100, `${sentences.length} seed sentences`);
  assert.ok(sentences.every((s) => /[。！？!?][”’」』"]?$/.test(s)), 'every sentence ends with its punctuation');

  const files = syntheticCorpus(sentences, 450);
  assert.deepEqual(syntheticCorpus(sentences, 450), files);
  assert.notDeepEqual(syntheticCorpus(sentences, 450, 1), files);
  const dir = tempDir('synthetic-corpus', t);
  writeCorpusFiles(dir, files);
  const corpus = readCorpus(dir);
  assert.equal(corpus.documents.length, 3);
  assert.deepEqual(corpus.documents.map((d) => d.sections.length), [10, 10, 3], 'a numbered theme per 20 paragraphs');
  assert.deepEqual(corpus.warnings, []);
  const paragraphs = paragraphTexts(dir);
  assert.equal(paragraphs.length, 450);
  const known = new Set(sentences);
  assert.ok(paragraphs.every((p) => seedSentences([p]).every((s) => known.has(s))), 'paragraphs are made of seed sentences');
});
