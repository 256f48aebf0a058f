/**
 * Who speaks, as a line says it: the readers of speaker labels and name lines.
 * Each reads a line's shadow (shadow.ts: half-width, simplified), so `記者：`
 * and `行政長官：` read the same in any script or width, and cuts names and text
 * from the verbatim line at the same offsets. How a phrase names a person (role
 * and name, name and title…) is person-phrase.ts; reported speech is parse-reported.ts.
 * - labels: `副市长王某某：…`, `王某某（副市长）：…`, `【主持人 王某某】…`, `[王某某]:`, `- 王某某:`, a
 *   label alone on its line; reporters' turns are questions, the host's only when they ask; `问：`/`答：` name
 *   nobody; a label that gives only a role (`发言人：`) is resolved from the document (document-context.ts);
 * - name lines: `王某某`, `市长  王某某`, `某某大学院长 雷<NBSP>杰` (a two-character name padded for print).
 * A verb is never a name; a name that is also a word needs a role or the layout to vouch for it.
 */
import type { Speaker } from './document.js';
import { ORGANISATION_MARKS, REPORTING_VERBS, SALUTATION } from './lexicon.js';
import { nameEvidence } from './person-name.js';
import { isRole, isRoleOrAffiliation, nameIn, NOT_IN_LABEL, readPersonPhrase, readSurnameAndTitle, roleIn, speakerOf } from './person-phrase.js';
import { shadowed, type Shadowed } from './shadow.js';
import { tagWords } from './words.js';

/**
 * What a label says about its turn: a reporter's question; the host's words (a question only when they
 * ask one: a press conference host mostly opens, hands over and closes); an answer whose label does not
 * name who gives it (`答：`); or a statement.
 */
export type LabelTurn = 'question' | 'host' | 'answer' | 'statement';

export interface SpeakerLabel {
  /** Null for `问：`/`答：`, for a role-only label (`发言人：`) and for a label that names no person (`群众：`). */
  speaker: Speaker | null;
  /** A label that gives only a role (`行政長官：`, verbatim), or a surname and a title (`蔡总统：`): the document says who. */
  role: string | null;
  /** What the speaker said after the label, verbatim ('' when the label stands alone on its line). */
  rest: string;
  turn: LabelTurn;
}

/** Bullets and dashes before a label: `□`, `●`, `- `. */
const BULLET = /^(?:[□■◇◆●○•·]+|-\s+)/;
/** A label in brackets: `【主持人 王某某】…`, `[王某某]:…`. */
const BRACKETED = /^(?:【([^【】]{1,40})】|\[([^[\]]{1,40})\])\s*:?/;
const BOLD_NAME = /^(.*?)\*\*([^*]{2,6})\*\*$/;
const NAME_ROLE = /^([\u3400-\u9fff· ]{2,8})\(([^()]{2,40})\)$/;
/** Reporters and the outlets they ask for put questions: `新华社记者`, `记者`, `观察者网`, `某某日报`. */
const REPORTER = /(?:记者|[^\s]{1,8}(?:网|报|社|电视台|杂志))$/;
const HOST = /主持人$/;
const QUESTION_MARK = /^(?:问|提问)$/;
const ANSWER_MARK = /^(?:答|回答)$/;
const REPORTING_VERB_AT_END = new RegExp(`(?:${REPORTING_VERBS.join('|')})$`);
/** Nouns that label a turn without naming anyone (`群众：`, `观众：`): jieba's noun tags. */
const NOUN = /^(?:n|nr|nrt|nrfg|nz|nt)$/;

/**
 * `刘某：收集废旧药盒问诊` (a headline) and `主持人：林某  新闻办副主任` (a header field) have a short
 * unfinished line after the colon, with no full stop in it. (A label with a role, `副市长王某某：…`, is a turn even when a page
 * break cuts its first line short.)
 */
export function isShortUnfinished(restNorm: string): boolean {
  // A full stop inside is a sentence ended (a headline may ask inside, `…时代？纯属…`, but does not end one).
  if (restNorm === '' || restNorm.length > 40 || restNorm.slice(0, -1).includes('。')) return false;
  return !/(?:[。!?…”"」]|(?<![A-Za-z\d])\.)(?:\([^()]{1,20}\))?$/.test(restNorm);
}

/** Where a label is: the label itself (offsets into the line) and where what was said begins. */
function labelBounds(norm: string): { start: number; end: number; restStart: number } | null {
  const start = BULLET.exec(norm)?.[0].length ?? 0;
  const bracketed = BRACKETED.exec(norm.slice(start));
  // Without a colon only a person in brackets is a label (`【主持人 某某】…`); `【某某网】…` is a source tag.
  const inner = bracketed && (bracketed[1] ?? bracketed[2]!);
  if (bracketed && inner && (bracketed[0].trimEnd().endsWith(':') || readPersonPhrase(inner, { label: true })?.evidence === 'name')) {
    return { start: start + 1, end: start + 1 + inner.length, restStart: start + bracketed[0].length };
  }
  const colon = norm.indexOf(':', start);
  if (colon < start + 1 || colon > start + 60) return null;
  return { start, end: colon, restStart: colon + 1 };
}

/**
 * A label whose role is a list (`全国政协委员,某某馆馆长某某：`): commas only between roles, a person at the end.
 * Any other punctuation, or anything but roles before the person, makes it a sentence, not a label.
 */
function roleListLabel(label: string, labelNorm: string, rest: string): SpeakerLabel | null {
  const lastComma = labelNorm.lastIndexOf(',');
  if (lastComma < 0 || /[。;!?“”"‘’《》「」『』]/.test(labelNorm)) return null;
  const roles = labelNorm.slice(0, lastComma).split(',');
  const person = readPersonPhrase(labelNorm.slice(lastComma + 1));
  if (!person?.role || person.evidence !== 'name' || !roles.every((role) => isRoleOrAffiliation(role.trim()))) return null;
  const tail = label.slice(lastComma + 1);
  return { speaker: { name: nameIn(tail, person), role: `${label.slice(0, lastComma + 1)}${roleIn(tail, person)}`, attribution: 'label' }, role: null, rest, turn: 'statement' };
}

/** Reads a speaker label at the start of a paragraph (or standing alone), or returns null when there is none. */
export function parseSpeakerLabel(input: string | Shadowed): SpeakerLabel | null {
  const { text, norm } = shadowed(input);
  const bounds = labelBounds(norm);
  if (!bounds) return null;
  const labelNorm = norm.slice(bounds.start, bounds.end).trim();
  const label = text.slice(bounds.start, bounds.end).trim();
  const rest = text.slice(bounds.restStart).trim();
  const restNorm = norm.slice(bounds.restStart).trim();
  if (labelNorm === '' || SALUTATION.test(`${labelNorm}:`)) return null;
  if (NOT_IN_LABEL.test(labelNorm)) return roleListLabel(label, labelNorm, rest);
  const make = (speaker: Speaker | null, turn: LabelTurn, role: string | null = null): SpeakerLabel | null =>
    // A label whose words are a short unfinished line is a headline or a header field, not a turn.
    speaker?.role || role || !isShortUnfinished(restNorm) ? { speaker, role, rest, turn } : null;

  if (QUESTION_MARK.test(labelNorm)) return make(null, 'question');
  if (ANSWER_MARK.test(labelNorm)) return make(null, 'answer');
  if (REPORTER.test(labelNorm) && labelNorm.length <= 20) {
    if (isShortUnfinished(restNorm)) return null;
    // A reporter with a name (`某某某 中央电视台记者：`) is that person; without one, the label names the asker.
    // (Written role first, `新华社记者某某`, or apart, `某某 某台记者`; `彭博社记者` is an outlet, not a 彭 someone.)
    const reporter = readPersonPhrase(labelNorm, { label: true });
    const named = reporter?.evidence === 'name' && (labelNorm.includes(' ') || reporter.name.at(-1)![1] === labelNorm.length);
    return make(named ? speakerOf(label, reporter, 'label') : { name: label, role: null, attribution: 'label' }, 'question');
  }
  // `市委书记强调：`, `王某某指出：` report a statement (read as reported speech), they are not labels.
  if (REPORTING_VERB_AT_END.test(labelNorm)) return null;
  const host = HOST.test(labelNorm) ? 'host' : 'statement';

  const bold = BOLD_NAME.exec(labelNorm);
  if (bold) {
    const name = bold[2]!;
    if (nameEvidence(name) === 'none') return null;
    const role = label.slice(0, bold[1]!.length).trim();
    return make({ name: label.slice(bold[1]!.length + 2, bold[1]!.length + 2 + name.length), role: role || null, attribution: 'label' }, 'statement');
  }
  const paren = NAME_ROLE.exec(labelNorm);
  if (paren && nameEvidence(paren[1]!.replace(/ /g, '')) !== 'none' && isRole(paren[2]!)) {
    const nameLength = paren[1]!.length;
    return make({ name: label.slice(0, nameLength).replace(/\s+/g, ''), role: label.slice(nameLength + 1, -1), attribution: 'label' }, 'statement');
  }
  const person = readPersonPhrase(labelNorm, { label: true });
  if (person && (person.evidence === 'name' || person.role !== null)) return make(speakerOf(label, person, 'label'), host);
  // A role and no name (`发言人：`, `行政長官：`, `主持人：`), or a surname and a title (`蔡总统：`): the document may say who.
  if ((isRole(labelNorm) && labelNorm.length <= 20) || readSurnameAndTitle(labelNorm)) return isShortUnfinished(restNorm) ? null : make(null, host, label);
  // A noun that names no one (`群众：`, `观众：`): a turn of its own, nobody's.
  if (labelNorm.length <= 6 && restNorm !== '' && !isShortUnfinished(restNorm)) {
    const words = tagWords(labelNorm);
    if (words.length === 1 && NOUN.test(words[0]!.tag)) return { speaker: null, role: null, rest, turn: 'statement' };
  }
  return null;
}

/**
 * Splits a line on its gaps, joining single characters a printer spaced out (`雷 杰` → `雷杰`):
 * the parts as [start, end) offsets.
 */
function partsOf(norm: string): [number, number][] {
  const parts: [number, number][] = [];
  for (const match of norm.matchAll(/\S+/g)) parts.push([match.index, match.index + match[0].length]);
  const single = (part: [number, number]) => part[1] - part[0] === 1 && /[\u3400-\u9fff]/.test(norm[part[0]]!);
  const merged: [number, number][] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (last && single(part) && (single(last) || / /.test(norm.slice(last[0], last[1])))) last[1] = part[1];
    else merged.push([...part]);
  }
  return merged;
}

/**
 * A line that is only a name, or a role and a name (either order), as under a headline or a speech title.
 * A name the line alone cannot vouch for (`吉林`, a word too) is read only when `vouched` says the line
 * stands where a byline stands (under a title, before a speech).
 */
export function parseNameLine(input: string | Shadowed, vouched = false): Speaker | null {
  const { text, norm } = shadowed(input);
  if (norm.length > 60 || NOT_IN_LABEL.test(norm) || norm.includes(':')) return null;
  const parts = partsOf(norm);
  if (parts.length === 1) {
    const padded = / /.test(norm);
    const person = readPersonPhrase(norm, { label: true });
    if (!person) return null;
    if (person.role === null) {
      const evidence = person.evidence;
      return evidence === 'name' || (evidence === 'possible' && (vouched || padded)) ? speakerOf(text, person, 'byline') : null;
    }
    // Role and name run together (`市长韩某某`): the role must name an office, or any short heading would do (`安居民|富景象新`).
    return person.evidence === 'name' && ORGANISATION_MARKS.test(norm.slice(person.role[0], person.role[1])) ? speakerOf(text, person, 'byline') : null;
  }
  if (parts.length === 2) {
    const [first, second] = parts as [[number, number], [number, number]];
    const byline = (namePart: [number, number], rolePart: [number, number]): Speaker | null => {
      const role = norm.slice(...rolePart).replace(/ /g, '');
      const nameNorm = norm.slice(...namePart);
      const compact = nameNorm.replace(/ /g, '');
      // A name written with its title inside (`苏院长某某`), as records list a chair.
      const split = compact.length === 5 || compact.length === 4 ? readPersonPhrase(nameNorm, { label: true }) : null;
      if (split?.role && split.evidence === 'name' && isRole(role)) {
        return { name: nameIn(text.slice(...namePart), split), role: text.slice(...rolePart).replace(/[\s\u3000\u00a0]+/g, ''), attribution: 'byline' };
      }
      if (compact.length > 4 && !compact.includes('·')) return null;
      // A name that is also a word needs a real role beside it, not any phrase (`汪洋出席  12名委员作大会发言`).
      const evidence = nameEvidence(compact);
      if (!(evidence === 'name' && isRoleOrAffiliation(role)) && !(evidence === 'possible' && isRole(role))) return null;
      const verbatimRole = text.slice(...rolePart);
      return { name: text.slice(...namePart).replace(/[\s\u3000\u00a0]+/g, ''), role: role.length <= 4 ? verbatimRole.replace(/[\s\u3000\u00a0]+/g, '') : verbatimRole, attribution: 'byline' };
    };
    return byline(second, first) ?? byline(first, second);
  }
  return null;
}
