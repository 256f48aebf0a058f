/** The JSON shape of an answer that `ask --json`, `ask --batch` and `eval` print; other tools read these field names. */
import type { SearchResult } from './search.js';

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
    results: result.results.map((hit) => ({
      rank: hit.rank,
      score: hit.score,
      paragraphId: hit.paragraphId,
      text: hit.text,
      speaker: hit.speaker && { name: hit.speaker.name, role: hit.speaker.role },
      reporter: hit.reporter,
      section: { title: hit.section.title },
      document: { file: hit.document.file, title: hit.document.title, date: hit.document.date },
      fragments: hit.fragments,
    })),
  };
}
