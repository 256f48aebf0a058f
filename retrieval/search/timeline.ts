/**
 * The timeline of a topic: the passages search finds on it, ordered by the
 * date of their document, counted per year or per month (whichever the spread
 * of dates suggests), with the undated ones apart. Extractive: passages and
 * counts only.
 */
import { normalise } from '../text.js';
import type { SearchEngine, SearchHit, SearchOptions, SearchResult } from './search.js';

export type Granularity = 'year' | 'month';

export interface TimelinePeriod {
  /** `2021` or `2021-06`. */
  period: string;
  /** Its passages, by date, then by how well they match. */
  hits: SearchHit[];
}

export interface Timeline {
  /** The search behind it: the question as searched, its filters and notes. */
  result: SearchResult;
  granularity: Granularity;
  /** Every period from the first dated passage to the last, empty ones included so that gaps show. */
  periods: TimelinePeriod[];
  undated: SearchHit[];
  /** The passages in reading order: the periods', then the undated ones. */
  ordered: SearchHit[];
  /** Whether search had more passages than VIEW_DEPTH to give: the counts are then of the best ones only. */
  capped: boolean;
}

/** Passages a timeline (or a side of a comparison) is drawn from: the best ones search keeps (it keeps 50 candidates). */
export const VIEW_DEPTH = 50;
/** Dates spread over more months than this are counted per year: a month per line would not show the shape on a phone. */
const MONTHS_PER_MONTHLY_TIMELINE = 24;

const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * Only passages whose own text holds the topic's words (or their translations) count: a passage that is merely near
 * in meaning (the vector side of hybrid search), matched only through its context (a speech title, the speaker's
 * role) or by a part of a word would make the counts say what the corpus does not. Whether search judged the
 * question answered does not matter here: a topic the corpus speaks of everywhere (养老 in a corpus on old age) is no
 * evidence for a question, and exactly what a timeline is for.
 */
export function holdsTopic(hit: SearchHit): boolean {
  const text = normalise(hit.text);
  return hit.fragments.length === 0 && hit.matchedTerms.some((term) => text.includes(term));
}

/** Hits in search order → the timeline's periods and undated passages. Pure. */
export function timelineOf(result: SearchResult): Omit<Timeline, 'result'> {
  const hits = result.results.filter(holdsTopic);
  const dated = hits.filter((hit) => hit.document.date !== null);
  const undated = hits.filter((hit) => hit.document.date === null);
  // Stable: passages of the same date stay in search order.
  dated.sort((a, b) => a.document.date!.localeCompare(b.document.date!));
  const months = dated.map((hit) => monthIndex(hit.document.date!));
  const first = months[0] ?? 0;
  const last = months.at(-1) ?? -1;
  const granularity: Granularity = last - first >= MONTHS_PER_MONTHLY_TIMELINE ? 'year' : 'month';
  const periods: TimelinePeriod[] = [];
  if (granularity === 'year') {
    for (let year = Math.floor(first / 12); year <= Math.floor(last / 12); year++) periods.push({ period: String(year), hits: [] });
  } else {
    for (let month = first; month <= last; month++) periods.push({ period: monthOf(month), hits: [] });
  }
  const periodIndex = (month: number) => (granularity === 'year' ? Math.floor(month / 12) - Math.floor(first / 12) : month - first);
  dated.forEach((hit, i) => periods[periodIndex(months[i]!)]!.hits.push(hit));
  return { granularity, periods, undated, ordered: [...dated, ...undated], capped: result.results.length >= VIEW_DEPTH };
}

/** The timeline of `topic` (which may carry filters: `speaker:某某 养老`). Throws RetrievalError for input a person must change. */
export async function timeline(engine: SearchEngine, topic: string, options: Pick<SearchOptions, 'mode'> = {}): Promise<Timeline> {
  const result = await engine.ask(topic, { ...options, top: VIEW_DEPTH });
  return { result, ...timelineOf(result) };
}
