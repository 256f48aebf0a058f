/**
 * The researcher's views, shared by Telegram and the console as answer.ts is
 * for questions: the view from the engine, rendered in the person's language,
 * and input the person must change turned into a hint instead of an error.
 */
import { compare, RetrievalError, speakerProfile, timeline, type SearchEngine, type SearchMode } from '../retrieval/api.js';
import { hintFor, notesFor } from './answer.js';
import type { Messages } from './presentation/i18n.js';
import { escapeHtml } from './presentation/html.js';
import { comparePage, nameLookupText, profilePage, profileQuestions, timelinePage, type ViewPage } from './presentation/research.js';

const hintPage = (text: string): ViewPage => ({ html: escapeHtml(text), buttons: [], next: null });

/** Runs `view`, turning the errors a person can act on (an empty topic, an unknown `speaker:` filter) into hints. */
async function orHint(engine: SearchEngine, m: Messages, view: () => Promise<ViewPage>): Promise<ViewPage> {
  try {
    return await view();
  } catch (error) {
    if (!(error instanceof RetrievalError)) throw error;
    return hintPage(hintFor(error, engine, m));
  }
}

/** `/timeline topic`, the page from `offset` on (searched in `mode`: `npm run ask --mode` sets it, the bot never does). */
export function timelineView(engine: SearchEngine, topic: string, m: Messages, offset = 0, mode?: SearchMode): Promise<ViewPage> {
  if (topic.trim() === '') return Promise.resolve(hintPage(m.timelineUsage(engine.examples)));
  return orHint(engine, m, async () => {
    const view = await timeline(engine, topic, { mode });
    return timelinePage(view, notesFor(view.result, m), offset, m);
  });
}

/** `/speaker name`: the profile and the questions its buttons ask (none for a name it does not know). */
export async function profileView(engine: SearchEngine, name: string, m: Messages): Promise<ViewPage & { questions: string[] }> {
  if (name.trim() === '') return { ...hintPage(m.speakerUsage(engine.examples)), questions: [] };
  const lookup = await speakerProfile(engine.reader, name);
  if (lookup.kind !== 'found') return { ...hintPage(nameLookupText(lookup, m)), questions: [] };
  return { ...profilePage(lookup.profile, m), next: null, questions: profileQuestions(lookup.profile) };
}

/** A side as typed: one word, or words in quotes (straight or curly). */
const SIDE = /^\s*(?:"([^"]+)"|“([^”]+)”|(\S+))/;

/** `A B topic` → its two sides and the topic; null when something is missing. */
export function compareArguments(args: string): { sides: [string, string]; topic: string } | null {
  const sides: string[] = [];
  let rest = args;
  for (let i = 0; i < 2; i++) {
    const match = SIDE.exec(rest);
    if (!match) return null;
    sides.push((match[1] ?? match[2] ?? match[3]!).trim());
    rest = rest.slice(match[0].length);
  }
  const topic = rest.trim();
  return topic === '' ? null : { sides: sides as [string, string], topic };
}

/** `/compare A B topic`, the page from `offset` on, searched in `mode` as for timelineView. */
export function compareView(engine: SearchEngine, args: string, m: Messages, offset = 0, mode?: SearchMode): Promise<ViewPage> {
  const parsed = compareArguments(args);
  if (!parsed) {
    // Two real names of this index, or the document files when it names no speakers.
    const names = [...new Set(engine.speakerNames()), ...engine.catalogue.documents.map((d) => d.file)];
    return Promise.resolve(hintPage(m.compareUsage(names[0] ?? 'A', names[1] ?? 'B', engine.examples.term)));
  }
  return orHint(engine, m, async () => {
    const comparison = await compare(engine, ...parsed.sides, parsed.topic, { mode });
    if (comparison.kind === 'unresolved') return hintPage(nameLookupText(comparison.lookup, m));
    const [first] = comparison.sides;
    return comparePage(first.result.query, comparison.sides, notesFor(first.result, m), offset, m);
  });
}
