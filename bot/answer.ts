/**
 * A question → the answer, shared by Telegram and the console: searches with
 * the engine, and turns input the person must change into a hint in their
 * language instead of an error.
 */
import { MAX_QUESTION_LENGTH, RetrievalError, type SearchEngine, type SearchResult } from '../retrieval/api.js';
import { type Answer, CONTEXT_RADIUS, contextHtml } from './presentation/format.js';
import type { Messages } from './presentation/i18n.js';

/** Quotes per message: enough to compare, few enough to read on a phone. */
export const RESULTS_PER_PAGE = 3;
/** Speakers and documents named in a "not found" reply as ideas for a filter. */
const SUGGESTIONS = 6;
/** Names listed in an "unknown speaker / document" hint: a corpus with hundreds would pass Telegram's 4096 characters. */
const HINT_NAMES = 20;

/** What the person should know about how their words were searched, in their language. */
export function notesFor(result: SearchResult, m: Messages): string[] {
  // The engine's own notices are English and mostly about the index (see /about); only this one concerns the person.
  const notes = result.truncated ? [m.truncatedNote(MAX_QUESTION_LENGTH, result.query.length)] : [];
  if (result.searched.length > 0) notes.push(m.searchedNote(result.searched));
  if (result.evidence.kind === 'partial') notes.push(m.partialNote(result.evidence.missing, result.evidence.found));
  return notes;
}

export async function findAnswer(engine: SearchEngine, input: string, m: Messages, offset = 0): Promise<Answer> {
  try {
    const result = await engine.ask(input, { top: RESULTS_PER_PAGE, offset });
    const { filters } = result;
    const notes = notesFor(result, m);
    if (!result.answered || result.results.length === 0) {
      const speakers = engine.catalogue.speakers.slice(0, SUGGESTIONS).map((s) => s.name);
      const sources = engine.catalogue.documents.slice(0, SUGGESTIONS).map((d) => d.title);
      return { kind: 'not-found', question: result.query, filters, notes, speakers, sources };
    }
    return { kind: 'found', question: result.query, filters, notes, hits: result.results, offset, total: result.total };
  } catch (error) {
    if (!(error instanceof RetrievalError)) throw error;
    return { kind: 'hint', text: hintFor(error, engine, m) };
  }
}

/**
 * The paragraphs around a quote, found by the start of its content hash (callback-data.ts) so that a quote shown
 * before a re-indexing still finds its place; null when the index no longer has it.
 */
export async function findContext(engine: SearchEngine, hashPrefix: string, m: Messages): Promise<string | null> {
  const quoted = await engine.reader.paragraphByHash(hashPrefix);
  return quoted && contextHtml(await engine.context(quoted.paragraphId, CONTEXT_RADIUS), quoted.paragraphId, m);
}

/** The hint for input the search refused, from what the search said: the error's code and the name it did not know. */
export function hintFor(error: RetrievalError, engine: SearchEngine, m: Messages): string {
  switch (error.code) {
    case 'QUERY_EMPTY':
      return m.emptyQuestion(engine.examples);
    case 'QUERY_NO_WORDS':
      return m.noWords;
    case 'UNKNOWN_SPEAKER': {
      const [name = ''] = error.detailsOf('UNKNOWN_SPEAKER') ?? [];
      const names = engine.speakerNames();
      return m.unknownSpeaker(name, names.slice(0, HINT_NAMES), names.length);
    }
    case 'UNKNOWN_SOURCE': {
      const [name = ''] = error.detailsOf('UNKNOWN_SOURCE') ?? [];
      const documents = engine.catalogue.documents.map((d) => `${d.file} ${d.title}`);
      return m.unknownSource(name, documents.slice(0, HINT_NAMES), documents.length);
    }
    default:
      throw error;
  }
}
