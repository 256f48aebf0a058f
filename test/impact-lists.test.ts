/**
 * The PostgreSQL store's ranking arithmetic (impact-lists.ts): posting lists
 * in the byte layout the build writes, added up and cut to the best, ties by
 * id, as both stores rank. The store contract test checks the whole path
 * against the embedded store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestParagraphs, POSTING_BYTES } from '../retrieval/index/store/postgres/impact-lists.js';

/** A list as int4send(paragraph_id) || float8send(impact) make it. */
function list(postings: [number, number][]): Uint8Array {
  const bytes = Buffer.alloc(postings.length * POSTING_BYTES);
  postings.forEach(([id, impact], i) => {
    bytes.writeInt32BE(id, i * POSTING_BYTES);
    bytes.writeDoubleBE(impact, i * POSTING_BYTES + 4);
  });
  return bytes;
}

describe('impact lists', () => {
  const lists = [list([[1, 0.5], [2, 2], [4, 1], [7, 0.25]]), list([[2, 0.5], [3, 2.5], [4, 1.5], [6, 1]])];

  it('rank paragraphs by the sum of their impacts over all lists, best first', () => {
    // Sums: 1 → 0.5, 2 → 2.5, 3 → 2.5, 4 → 2.5, 6 → 1, 7 → 0.25; the three at 2.5 by id.
    assert.deepEqual(bestParagraphs(lists, 10, 7), [2, 3, 4, 6, 1, 7]);
  });

  it('keep the best `limit`, deciding ties at the cut by id', () => {
    assert.deepEqual(bestParagraphs(lists, 2, 7), [2, 3]);
    assert.deepEqual(bestParagraphs(lists, 4, 7), [2, 3, 4, 6]);
    assert.deepEqual(bestParagraphs(lists, 0, 7), []);
  });

  it('take ids beyond the expected count, and read lists that are views into a larger buffer', () => {
    const shared = Buffer.concat([Buffer.alloc(5), list([[40, 1], [3, 2]])]);
    assert.deepEqual(bestParagraphs([shared.subarray(5), list([[40, 1.5]])], 5, 4), [40, 3]);
    assert.deepEqual(bestParagraphs([], 5, 4), []);
  });
});
