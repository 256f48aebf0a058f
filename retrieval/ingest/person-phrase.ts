/**
 * A person as a phrase names them: the forms a label, a reported subject or a
 * mention takes, read on the shadow (half-width, simplified):
 * - a name alone: `王某某`;
 * - a role, then the name: `副市长王某某`, `国务院总理 李某某` (a space allowed);
 * - the name, then a title: `刘某某委员`, `蔡某某总统`; both: `立法会主席曾某某议员`;
 * - a title inside the name, as Taiwan's records write it: `柯委员某某` (surname, title, given name);
 * - a surname and a title, whose full name the document gives elsewhere: `蔡总统`, `李总理`.
 * Offsets point into the phrase, so callers cut the verbatim text at the same places. Also here: the role
 * written before a name in running text (`roleBefore`, `roleMentionedFor`).
 */
import { ROLE_ENDINGS, ORGANISATION_MARKS, SURNAMES } from './lexicon.js';
import type { Attribution, Speaker } from './document.js';
import { nameEvidence, type NameEvidence } from './person-name.js';
import { shadowed, shadowOf, type Shadowed } from './shadow.js';

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

/** An office that names its holder in a label as a role would (`某省人民政府新闻办公室某某：`): a name ending as offices do. */
const OFFICE = /(?:办公室|委员会|政府|中心|公司|集团|大学|学院|研究院|研究所|[办局厅部委院会社台网报处科所室署站馆队])$/;
function isOffice(text: string): boolean {
  return text.length >= 3 && text.length <= 40 && OFFICE.test(text) && !NOT_IN_LABEL.test(text) && !/[、 ]/.test(text);
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

/**
 * The role, then the name: the split that leaves a role before a name, preferring a name on its own evidence.
 * `isRoleHere` says what may stand before the name (a label may give an office without a title: `某某办公室`).
 */
function roleThenName(norm: string, isRoleHere: (role: string) => boolean = isRole): PersonPhrase | null {
  let best: PersonPhrase | null = null;
  for (const length of [3, 2, 4]) {
    const nameStart = norm.length - length;
    if (nameStart < 2) continue;
    const role = norm.slice(0, nameStart).replace(/[、 ]+$/, '');
    if (!isRoleHere(role)) continue;
    const evidence = nameEvidence(norm.slice(nameStart));
    if (evidence === 'none' || (best && evidenceRank[best.evidence] >= evidenceRank[evidence])) continue;
    best = { name: [[nameStart, norm.length]], role: [0, role.length], evidence };
  }
  return best;
}

/** Where a phrase is read, which decides the forms allowed. */
export interface PhraseContext {
  /**
   * A label or a header line (not running text): a title may split the name (`柯委员某某`), and an office may
   * stand for the role (`某省政府新闻办公室某某：`).
   */
  label?: boolean;
}

/** How `norm` (a label, a subject: the whole of it) names a person, or null. */
export function readPersonPhrase(norm: string, { label = false }: PhraseContext = {}): PersonPhrase | null {
  const compact = norm.replace(/ /g, '');
  if (compact.length <= 4 && nameEvidence(compact) === 'name') return { name: [[0, norm.length]], role: null, evidence: 'name' };
  const split = label ? SPLIT_NAME.exec(norm) : null;
  if (split && SURNAMES.has(split[1]!) && nameEvidence(split[1]! + split[3]!) === 'name') {
    const titleEnd = 1 + split[2]!.length;
    return { name: [[0, 1], [titleEnd, norm.length]], role: [1, titleEnd], evidence: 'name' };
  }
  // A name and a role apart (`某某某 中央电视台记者`), either way round.
  const gap = / +/.exec(norm);
  if (gap && norm.indexOf(' ', gap.index + gap[0].length) < 0) {
    const [first, second] = [norm.slice(0, gap.index), norm.slice(gap.index + gap[0].length)];
    if (first.length <= 4 && nameEvidence(first) === 'name' && isRoleOrAffiliation(second)) {
      return { name: [[0, first.length]], role: [gap.index + gap[0].length, norm.length], evidence: 'name' };
    }
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
  if (label && !roleFirst) {
    const office = roleThenName(norm, isOffice);
    if (office?.evidence === 'name') return office;
  }
  return roleFirst;
}

/** `蔡总统`, `李总理`: a surname and a title only. */
export function readSurnameAndTitle(norm: string): SurnameAndTitle | null {
  const match = SURNAME_AND_TITLE.exec(norm);
  return match && SURNAMES.has(match[1]!) ? { surname: match[1]!, title: match[2]! } : null;
}

/** The speaker a phrase names, cut from `text` (verbatim) at the phrase's offsets. */
export function speakerOf(text: string, phrase: PersonPhrase, attribution: Attribution): Speaker {
  return { name: nameIn(text, phrase), role: roleIn(text, phrase) || null, attribution };
}

/** Words before a role in running text that are not part of it: `请…`, `专访了…`, `和…`, a date before it. */
const BEFORE_ROLE = /^.*[的是有为由请了和与及]|^(?:专访|采访|访问|访|对话)|^.*[年月日号]/;

/**
 * The role written right before offset `end` of a line (`…外交部发言人` before a name), verbatim, or null:
 * the longest run of words before `end` that ends as a role does.
 */
export function roleBefore(line: Shadowed, end: number): string | null {
  const windowStart = Math.max(0, end - 40);
  // A space may stand between a role and the name (`市长  某某`), not inside the role (`…电 省农业厅厅长`).
  const before = /[\u3400-\u9fff、]{2,40}$/.exec(line.norm.slice(windowStart, end).trimEnd());
  if (!before) return null;
  const beforeStart = windowStart + before.index;
  const candidate = before[0].replace(BEFORE_ROLE, '');
  const candidateStart = beforeStart + before[0].length - candidate.length;
  for (let at = 0; at < candidate.length - 1; at++) {
    if (isRole(candidate.slice(at).trim())) return line.text.slice(candidateStart + at, beforeStart + before[0].length).trim();
  }
  return null;
}

/**
 * The role a document gives a person elsewhere (`国家统计局新闻发言人、国民经济综合统计司司长付某某`),
 * for labels that carry only a name. When several mentions give roles, the first that names an
 * organisation wins (an interview's `——访种业专家某某` subtitle describes, the introduction gives the office).
 */
export function roleMentionedFor(name: string, text: string | Shadowed): string | null {
  const line = shadowed(text);
  const wanted = shadowOf(name);
  const roles: string[] = [];
  for (let at = line.norm.indexOf(wanted); at >= 0; at = line.norm.indexOf(wanted, at + 1)) {
    const role = roleBefore(line, at);
    if (role) roles.push(role);
  }
  return roles.find((role) => ORGANISATION_MARKS.test(shadowOf(role))) ?? roles[0] ?? null;
}
