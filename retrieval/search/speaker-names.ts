/**
 * A speaker's name as a person typed it → the name the index knows: the same
 * name, or the one known name it is part of (or that is part of it: 黄某某副市长),
 * or the one speaker whose role it names. Anything else gets the closest known
 * names, so that a typo or a half-remembered name still leads somewhere.
 */
import { normalise } from '../text.js';
import type { SpeakerCount } from '../index/store/store.js';

export type NameLookup =
  | { kind: 'found'; name: string }
  /** Several known names fit (a surname, a role): `candidates` are those, the most quoted first. */
  | { kind: 'ambiguous'; asked: string; candidates: string[] }
  /** No known name fits: `candidates` are the closest, by the characters they share with what was asked. */
  | { kind: 'unknown'; asked: string; candidates: string[] };

/** Names offered for an unknown or ambiguous name: enough to spot the right one, short enough for a message. */
export const NAME_CANDIDATES = 6;

/** Characters of `a` also in `b`, each counted as often as both hold it, over the longer length. */
function sharedCharacters(a: string, b: string): number {
  const left = [...b];
  let shared = 0;
  for (const character of a) {
    const at = left.indexOf(character);
    if (at >= 0) {
      shared++;
      left.splice(at, 1);
    }
  }
  return shared / Math.max([...a].length, [...b].length);
}

interface KnownName {
  name: string;
  roles: string[];
  paragraphs: number;
}

/** One entry per name (the catalogue has one per name and role), the most quoted first. */
function knownNames(speakers: readonly SpeakerCount[]): KnownName[] {
  const byName = new Map<string, KnownName>();
  for (const { name, role, paragraphs } of speakers) {
    const known = byName.get(name) ?? { name, roles: [], paragraphs: 0 };
    if (role) known.roles.push(role);
    known.paragraphs += paragraphs;
    byName.set(name, known);
  }
  return [...byName.values()].sort((a, b) => b.paragraphs - a.paragraphs);
}

export function lookUpSpeaker(speakers: readonly SpeakerCount[], asked: string): NameLookup {
  const wanted = normalise(asked.trim());
  const known = knownNames(speakers);
  const exact = known.find((speaker) => normalise(speaker.name) === wanted);
  if (exact) return { kind: 'found', name: exact.name };
  const fitting = wanted === '' ? [] : known.filter(({ name, roles }) => {
    const comparable = normalise(name);
    return comparable.includes(wanted) || wanted.includes(comparable) || roles.some((role) => normalise(role).includes(wanted));
  });
  if (fitting.length === 1) return { kind: 'found', name: fitting[0]!.name };
  if (fitting.length > 1) return { kind: 'ambiguous', asked, candidates: fitting.slice(0, NAME_CANDIDATES).map((speaker) => speaker.name) };
  const closest = known
    .map((speaker) => ({ name: speaker.name, closeness: sharedCharacters(wanted, normalise(speaker.name)) }))
    .filter((speaker) => speaker.closeness > 0)
    .sort((a, b) => b.closeness - a.closeness);
  // Nothing in common with any name: the most quoted speakers, as a start.
  const candidates = (closest.length > 0 ? closest : known).slice(0, NAME_CANDIDATES).map((speaker) => speaker.name);
  return { kind: 'unknown', asked, candidates };
}
