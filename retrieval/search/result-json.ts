/**
 * The JSON shapes that `ask --json`, `ask --batch` and `eval` print (an answer), and `ask --timeline / --speaker-profile
 * / --compare --json` (the researcher's views); other tools read these field names.
 */
import type { StoredParagraph } from '../index/store/store.js';
import type { Comparison } from './compare.js';
import type { SearchHit, SearchResult } from './search.js';
import type { ProfileLookup } from './speaker-profile.js';
import type { Timeline } from './timeline.js';

/** A passage: its text, who said it, where it is. */
function passageJson(paragraph: StoredParagraph) {
  return {
    paragraphId: paragraph.paragraphId,
    text: paragraph.text,
    speaker: paragraph.speaker && { name: paragraph.speaker.name, role: paragraph.speaker.role },
    reporter: paragraph.reporter,
    section: { title: paragraph.section.title },
    document: { file: paragraph.document.file, title: paragraph.document.title, date: paragraph.document.date },
  };
}

function hitJson(hit: SearchHit) {
  const { paragraphId, ...passage } = passageJson(hit);
  return { rank: hit.rank, score: hit.score, paragraphId, ...passage, fragments: hit.fragments };
}

/** `ms`: how long the question took to answer, in milliseconds (the model's query embedding included). */
export function resultJson(id: unknown, result: SearchResult, ms: number) {
  return {
    id,
    ms: Math.round(ms * 10) / 10,
    query: result.query,
    truncated: result.truncated,
    mode: result.mode,
    answered: result.answered,
    // Whether the bot's caveats are true can be checked from outside: what was searched, found and missing.
    evidence: { kind: result.evidence.kind, missing: result.evidence.missing, found: result.evidence.found },
    searched: result.searched,
    results: result.results.map(hitJson),
  };
}

export function timelineJson(timeline: Timeline) {
  return {
    query: timeline.result.query,
    filters: timeline.result.filters,
    searched: timeline.result.searched,
    granularity: timeline.granularity,
    capped: timeline.capped,
    periods: timeline.periods.map((period) => ({ period: period.period, count: period.hits.length, passages: period.hits.map(hitJson) })),
    undated: { count: timeline.undated.length, passages: timeline.undated.map(hitJson) },
  };
}

export function profileJson(lookup: ProfileLookup) {
  if (lookup.kind !== 'found') return lookup;
  const { profile } = lookup;
  return { kind: lookup.kind, ...profile, quotes: profile.quotes.map(passageJson) };
}

export function comparisonJson(comparison: Comparison) {
  if (comparison.kind === 'unresolved') return comparison;
  return {
    kind: comparison.kind,
    topic: comparison.topic,
    sides: comparison.sides.map(({ side, hits }) => ({ side, count: hits.length, passages: hits.map(hitJson) })),
  };
}
