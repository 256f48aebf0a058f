/**
 * A speaker's profile: the roles the index saw for the name (with when), the
 * documents, the date range, how many passages, the terms the speaker uses
 * more than the corpus does (distinctive-terms.ts) and three passages that
 * hold the most of them. Extractive: names, counts and verbatim passages.
 */
import { Segmenter } from '../index/segment.js';
import type { IndexReader, StoredParagraph } from '../index/store/store.js';
import { rankDistinctive, type DistinctiveTerm } from './distinctive-terms.js';
import { lookUpSpeaker, type NameLookup } from './speaker-names.js';

export interface DateRange {
  first: string | null;
  last: string | null;
}

export interface ProfileRole extends DateRange {
  role: string | null;
  passages: number;
}

export interface ProfileDocument {
  file: string;
  title: string;
  date: string | null;
  passages: number;
}

export interface SpeakerProfile extends DateRange {
  name: string;
  /** In the order first seen by date (undated last). */
  roles: ProfileRole[];
  /** By date, undated last. */
  documents: ProfileDocument[];
  passages: number;
  terms: DistinctiveTerm[];
  quotes: StoredParagraph[];
}

export type ProfileLookup = { kind: 'found'; profile: SpeakerProfile } | Exclude<NameLookup, { kind: 'found' }>;

const PROFILE_TERMS = 8;
const PROFILE_QUOTES = 3;
/** Passages read for terms: a speaker of thousands still answers at once. */
const PROFILE_TEXTS = 1000;
/** Words that can be topics: nouns, verbs and verbal nouns, idioms, abbreviations (jieba's tags), not pronouns or numbers. */
const TOPIC_TAG = /^(?:n|v|l|i|j)/;
/** Han characters or Latin letters: a topic is no bare number. */
const WORDLIKE = /[\p{Script=Han}a-z]/u;

/** Undated last; otherwise by date. */
function byDate(a: string | null, b: string | null): number {
  return a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b);
}

function widen(range: DateRange, date: string | null): void {
  if (date === null) return;
  if (range.first === null || date < range.first) range.first = date;
  if (range.last === null || date > range.last) range.last = date;
}

/**
 * How often the speaker uses each word, counting only words found in more than one of their passages when they have
 * several: a word said once is an incident, not something the speaker talks about.
 */
function wordOccurrences(segmenter: Segmenter, texts: string[]): Map<string, number> {
  const occurrences = new Map<string, number>();
  const passages = new Map<string, number>();
  for (const text of texts.slice(0, PROFILE_TEXTS)) {
    const words = segmenter.tag(text).filter(({ word, tag }) => [...word].length >= 2 && TOPIC_TAG.test(tag) && WORDLIKE.test(word));
    for (const { word } of words) occurrences.set(word, (occurrences.get(word) ?? 0) + 1);
    for (const word of new Set(words.map(({ word }) => word))) passages.set(word, (passages.get(word) ?? 0) + 1);
  }
  if (texts.length > 1) for (const word of occurrences.keys()) if (passages.get(word)! < 2) occurrences.delete(word);
  return occurrences;
}

/** The passages holding the most weight of the speaker's terms, from as many documents as there are (answers before questions). */
function representative(paragraphs: StoredParagraph[], terms: DistinctiveTerm[]): StoredParagraph[] {
  const weight = (paragraph: StoredParagraph) => terms.reduce((sum, term) => sum + (paragraph.text.includes(term.term) ? term.score : 0), 0);
  const ranked = paragraphs
    .map((paragraph) => ({ paragraph, weight: paragraph.turn === 'question' ? -1 : weight(paragraph) }))
    .sort((a, b) => b.weight - a.weight)
    .map(({ paragraph }) => paragraph);
  const chosen: StoredParagraph[] = [];
  const documents = new Set<string>();
  for (const paragraph of ranked) {
    if (chosen.length === PROFILE_QUOTES) break;
    if (documents.has(paragraph.document.file)) continue;
    documents.add(paragraph.document.file);
    chosen.push(paragraph);
  }
  // Fewer documents than quotes: the next best of any document.
  for (const paragraph of ranked) if (chosen.length < PROFILE_QUOTES && !chosen.includes(paragraph)) chosen.push(paragraph);
  return chosen;
}

/** The profile of the speaker whose paragraphs these are. Pure but for the segmenter and the index's word statistics. */
export function profileOf(reader: IndexReader, name: string, paragraphs: StoredParagraph[]): SpeakerProfile {
  const roles = new Map<string | null, ProfileRole>();
  const documents = new Map<string, ProfileDocument>();
  const range: DateRange = { first: null, last: null };
  for (const paragraph of paragraphs) {
    const { date, file, title } = paragraph.document;
    const role = paragraph.speaker?.role ?? null;
    const seen = roles.get(role) ?? { role, first: null, last: null, passages: 0 };
    seen.passages++;
    widen(seen, date);
    roles.set(role, seen);
    const document = documents.get(file) ?? { file, title, date, passages: 0 };
    document.passages++;
    documents.set(file, document);
    widen(range, date);
  }
  const segmenter = Segmenter.for(reader.catalogue.vocabulary);
  const terms = rankDistinctive(reader, wordOccurrences(segmenter, paragraphs.map((paragraph) => paragraph.text))).slice(0, PROFILE_TERMS);
  return {
    name,
    roles: [...roles.values()].sort((a, b) => byDate(a.first, b.first)),
    documents: [...documents.values()].sort((a, b) => byDate(a.date, b.date)),
    ...range,
    passages: paragraphs.length,
    terms,
    quotes: representative(paragraphs, terms),
  };
}

/** The profile of the speaker `asked` names, or the closest known names. */
export async function speakerProfile(reader: IndexReader, asked: string): Promise<ProfileLookup> {
  const lookup = lookUpSpeaker(reader.catalogue.speakers, asked);
  if (lookup.kind !== 'found') return lookup;
  // The filter matches names and roles by substring: only this very name's paragraphs are the speaker's.
  const paragraphs = (await reader.paragraphs(await reader.filter({ speaker: lookup.name }))).filter((p) => p.speaker?.name === lookup.name);
  return { kind: 'found', profile: profileOf(reader, lookup.name, paragraphs) };
}
