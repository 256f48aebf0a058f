/**
 * A person as a phrase names them: the forms a label, a reported subject or a
 * mention takes, read on the shadow (half-width, simplified):
 * - a name alone: `王某某`;
 * - a role, then the name: `副市长王某某`, `国务院总理 李某某` (a space allowed);
 * - the name, then a title: `刘某某委员`, `蔡某某总统`; both: `立法会主席曾某某议员`;
 * - a title inside the name, as Taiwan's records write it: `柯委员某某` (surname, title, given name);
 * - a surname and a title, whose full name the document gives elsewhere: `蔡总统`, `李总理`.
 * Offsets point into the phrase, so callers cut the verbatim text at the same places.
 */
import { ROLE_ENDINGS, ORGANISATION_MARKS, SURNAMES } from './lexicon.js';
import { nameEvidence, type NameEvidence } from './person-name.js';

/** Punctuation that never stands inside a label, a name line or a role (in the shadow: half-width). */
export const NOT_IN_LABEL = /[,。;!?“”"‘’《》「」『』]/;
const ROLE_ENDING = new RegExp(`(?:${[...ROLE_ENDINGS, '官'].join('|')})$`);
/** A role that ends in one generic character (`员`, `家`) is a word of three or more (`技术员`), not `刘家`. */
const ONE_CHARACTER_ENDING = /^.{0,1}[长员人家师官户]$/;
/** Two-character roles of the list (`市长`, `委员`): whole roles even though their last character alone is generic. */
const TWO_CHARACTER_ROLE = new RegExp(`^(?:${ROLE_ENDINGS.filter((ending) => ending.length === 2).join('|')})$`);
/** Titles written after a name or inside it (`委员`, `总统`): the role endings of two characters or more. */
const TITLES = ROLE_ENDINGS.filter((ending) => ending.length > 1).sort((a, b) => b.length - a.length);
const TITLE_AT_END = new RegExp(`(?:${TITLES.join('|')})$`);
const SPLIT_NAME = new RegExp(`^([\\u3400-\\u9fff])(${TITLES.join('|')})([\\u3400-\\u9fff]{1,2})$`);
const SURNAME_AND_TITLE = new RegExp(`^([\\u3400-\\u9fff])(${TITLES.join('|')})$`);

/** A role: ends as offices and professions do, holds no sentence punctuation. */
export function isRole(role: string): boolean {
  const compact = role.replace(/ /g, '');
  if (compact.length < 2 || compact.length > 40 || NOT_IN_LABEL.test(compact) || !ROLE_ENDING.test(compact)) return false;
  return !ONE_CHARACTER_ENDING.test(compact) || TWO_CHARACTER_ROLE.test(compact);
}

/** On a name line a role may also be an affiliation (`某某大学`, `市政协`). */
export function isRoleOrAffiliation(role: string): boolean {
  return isRole(role) || (role.length >= 2 && role.length <= 40 && ORGANISATION_MARKS.test(role) && !NOT_IN_LABEL.test(role));
}

export type Span = readonly [start: number, end: number];

export interface PersonPhrase {
  /** Where the name is; for a split name (`柯委员某某`), the surname and the given name. */
  name: readonly Span[];
  role: Span | null;
  evidence: NameEvidence;
}

/** `蔡总统`: a surname and a title, for the document to complete. */
export interface SurnameAndTitle {
  surname: string;
  title: string;
}

/** The name a phrase's spans give, from `text` (verbatim or shadow), without the spaces printers pad names with. */
export function nameIn(text: string, phrase: PersonPhrase): string {
  return phrase.name.map(([start, end]) => text.slice(start, end)).join('').replace(/[\s\u3000\u00a0]+/g, '');
}

export function roleIn(text: string, phrase: PersonPhrase): string | null {
  return phrase.role && text.slice(phrase.role[0], phrase.role[1]).trim();
}

const evidenceRank: Record<NameEvidence, number> = { name: 2, possible: 1, none: 0 };

/** The role, then the name: the split that leaves a role before a name, preferring a name on its own evidence. */
function roleThenName(norm: string, end = norm.length): PersonPhrase | null {
  let best: PersonPhrase | null = null;
  for (const length of [3, 2, 4]) {
    const nameStart = end - length;
    if (nameStart < 2) continue;
    const role = norm.slice(0, nameStart).replace(/[、 ]+$/, '');
    if (!isRole(role)) continue;
    const evidence = nameEvidence(norm.slice(nameStart, end));
    if (evidence === 'none' || (best && evidenceRank[best.evidence] >= evidenceRank[evidence])) continue;
    best = { name: [[nameStart, end]], role: [0, role.length], evidence };
  }
  return best;
}

/** How `norm` (a label, a subject: the whole of it) names a person, or null. */
export function readPersonPhrase(norm: string): PersonPhrase | null {
  const compact = norm.replace(/ /g, '');
  if (compact.length <= 4 && nameEvidence(compact) === 'name') return { name: [[0, norm.length]], role: null, evidence: 'name' };
  const split = SPLIT_NAME.exec(norm);
  if (split && SURNAMES.has(split[1]!) && nameEvidence(split[1]! + split[3]!) === 'name') {
    const titleEnd = 1 + split[2]!.length;
    return { name: [[0, 1], [titleEnd, norm.length]], role: [1, titleEnd], evidence: 'name' };
  }
  const roleFirst = roleThenName(norm);
  if (roleFirst?.evidence === 'name') return roleFirst;
  // A title after the name (`刘某某委员`), maybe after a role as well (`立法会主席曾某某议员`).
  const title = TITLE_AT_END.exec(norm);
  if (title && title.index >= 2) {
    const before = norm.slice(0, title.index).trimEnd();
    if (before.length <= 4 && nameEvidence(before) === 'name') return { name: [[0, before.length]], role: [title.index, norm.length], evidence: 'name' };
    const inner = roleThenName(before);
    if (inner?.evidence === 'name') return inner;
  }
  return roleFirst;
}

/** `蔡总统`, `李总理`: a surname and a title only. */
export function readSurnameAndTitle(norm: string): SurnameAndTitle | null {
  const match = SURNAME_AND_TITLE.exec(norm);
  return match && SURNAMES.has(match[1]!) ? { surname: match[1]!, title: match[2]! } : null;
}
