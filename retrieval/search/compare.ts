/**
 * Two sides on one topic: the best passages of each — a speaker, or a source
 * (a file name start or words of a document's or speech's title) — found by
 * the same search with that side's filter. Extractive: passages only.
 */
import type { SearchEngine, SearchHit, SearchOptions, SearchResult } from './search.js';
import { holdsTopic, VIEW_DEPTH } from './timeline.js';
import { lookUpSpeaker, type NameLookup } from './speaker-names.js';

/** What a side names: a speaker by the name the index knows, or a source as typed (the filter `source:` takes). */
export type Side = { kind: 'speaker'; name: string } | { kind: 'source'; source: string };

export type SideLookup = { kind: 'found'; side: Side } | Exclude<NameLookup, { kind: 'found' }>;

export interface ComparedSide {
  side: Side;
  /** The search behind it: the topic as searched, its notes. */
  result: SearchResult;
  /** The side's passages holding the topic's words, best first (see timeline.ts, holdsTopic). */
  hits: SearchHit[];
}

export type Comparison =
  | { kind: 'compared'; topic: string; sides: [ComparedSide, ComparedSide] }
  /** A side named nothing the index knows (or several speakers): which one, and the closest known names. */
  | { kind: 'unresolved'; lookup: Exclude<SideLookup, { kind: 'found' }> };

/** A speaker first (names are what people compare most), then a source; neither → the speaker names closest to it. */
export async function lookUpSide(engine: SearchEngine, asked: string): Promise<SideLookup> {
  const speaker = lookUpSpeaker(engine.catalogue.speakers, asked);
  if (speaker.kind === 'found') return { kind: 'found', side: { kind: 'speaker', name: speaker.name } };
  if ((await engine.reader.filter({ source: asked })).length > 0) return { kind: 'found', side: { kind: 'source', source: asked } };
  return speaker;
}

/** The best passages of each side on `topic`. Throws RetrievalError for a topic a person must change. */
export async function compare(engine: SearchEngine, first: string, second: string, topic: string, options: Pick<SearchOptions, 'mode'> = {}): Promise<Comparison> {
  const sides: Side[] = [];
  for (const asked of [first, second]) {
    const lookup = await lookUpSide(engine, asked);
    if (lookup.kind !== 'found') return { kind: 'unresolved', lookup };
    sides.push(lookup.side);
  }
  const searched = await Promise.all(sides.map(async (side) => {
    const filter = side.kind === 'speaker' ? { speaker: side.name } : { source: side.source };
    const result = await engine.search(topic, { ...options, ...filter, top: VIEW_DEPTH });
    // The speaker filter takes names by substring (王某 would take 王某某 too): only this very name's passages are the side's.
    const hits = result.results.filter((hit) => holdsTopic(hit) && (side.kind === 'source' || hit.speaker?.name === side.name));
    return { side, result, hits };
  }));
  return { kind: 'compared', topic, sides: searched as [ComparedSide, ComparedSide] };
}
