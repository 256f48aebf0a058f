/**
 * A term's postings as PostgreSQL stores them for ranking: one value per term
 * holding, for each paragraph that has the term, its id and its BM25 impact
 * (schema.ts, IMPACT), so that a question reads one row per term and adds the
 * impacts up here. Summing tens of thousands of postings a question in SQL
 * (a hash aggregate) cost several times SQLite FTS5's own ranking; in a typed
 * array it is a small part of it. Pure.
 */

/** Bytes of one posting: the paragraph id (int4, big-endian, as int4send writes it), then its impact (float8send). */
export const POSTING_BYTES = 12;

/** SQL for one term's list, aggregated over rows of `paragraph_id` and `impact`, in paragraph order. */
export const IMPACT_LIST_AGGREGATE = `string_agg(int4send(paragraph_id) || float8send(impact), ''::bytea ORDER BY paragraph_id)`;

/**
 * The ids of the `limit` paragraphs with the highest sums of impacts over `lists`, best first, ties by id (as both
 * stores rank). Each paragraph's impacts are added in the order of `lists`, so the same lists always give the same
 * sums. `paragraphs` sizes the first accumulator; larger ids make it grow.
 */
export function bestParagraphs(lists: readonly Uint8Array[], limit: number, paragraphs: number): number[] {
  if (limit <= 0) return [];
  let scores = new Float64Array(paragraphs + 1);
  const touched: number[] = [];
  for (const list of lists) {
    const view = new DataView(list.buffer, list.byteOffset, list.byteLength);
    for (let offset = 0; offset + POSTING_BYTES <= list.byteLength; offset += POSTING_BYTES) {
      const id = view.getInt32(offset);
      if (id >= scores.length) {
        const grown = new Float64Array(Math.max(id + 1, scores.length * 2));
        grown.set(scores);
        scores = grown;
      }
      // Impacts are positive (the IDF is floored above 0): a score of 0 means the paragraph was not seen yet.
      if (scores[id] === 0) touched.push(id);
      scores[id] = scores[id]! + view.getFloat64(offset + 4);
    }
  }
  const byRank = (a: number, b: number): number => scores[b]! - scores[a]! || a - b;
  if (touched.length <= limit) return touched.sort(byRank);
  // The limit-th highest score, then only the paragraphs at or above it are sorted (ties at it are decided by id).
  const values = new Float64Array(touched.length);
  touched.forEach((id, i) => (values[i] = scores[id]!));
  const cutoff = kthLargest(values, limit);
  return touched.filter((id) => scores[id]! >= cutoff).sort(byRank).slice(0, limit);
}

/** The k-th largest of `values` (1 ≤ k ≤ length), reordering them: Hoare's selection, linear on average, where sorting all took longer than the adding up. */
function kthLargest(values: Float64Array, k: number): number {
  const target = k - 1;
  let [low, high] = [0, values.length - 1];
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let [i, j] = [low, high];
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        [values[i], values[j]] = [values[j]!, values[i]!];
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target]!;
}
