/**
 * Who speaks: the readers of speaker labels, name lines and reported speech.
 * Each reads a line's shadow (shadow.ts: half-width, simplified), so `記者：`,
 * `行政長官：` and `王某某表示，` read the same in any script or width, and
 * cuts names and text from the verbatim line at the same offsets. How a
 * phrase names a person (role and name, name and title…) is person-phrase.ts.
 * - labels: `副市长王某某：…`, `王某某（副市长）：…`, `【主持人 王某某】…`, `[王某某]:`, `- 王某某:`, a
 *   label alone on its line; reporters' turns are questions, the host's only when they ask; `问：`/`答：` name
 *   nobody; a label that gives only a role (`发言人：`) is resolved from the document (document-context.ts);
 * - name lines: `王某某`, `市长  王某某`, `某某大学院长 雷<NBSP>杰` (a two-character name padded for print);
 * - reported speech: `[新华社某地电 ][会上，][研究员]王某某[还][在会上]表示，…`, `他说，…`, `市长宣布：…`.
 * A verb is never a name; a name that is also a word needs a role or the layout to vouch for it.
 */
import { CLAUSE_VERBS, REPORTING_ADVERBS, REPORTING_VERBS, PERSONAL_PRONOUNS, SALUTATION, ORGANISATION_MARKS } from './lexicon.js';
import { nameEvidence } from './person-name.js';
import {
  isRole, isRoleOrAffiliation, nameIn, NOT_IN_LABEL, readPersonPhrase, readSurnameAndTitle, roleIn, type PersonPhrase,
} from './person-phrase.js';
import { shadowOf } from './shadow.js';
import { isWordBoundary, tagWords } from './words.js';

export { isRole };

/**
 * How an attribution was made; shown to readers so they can weigh it: a label in the text, a name line
 * (byline), a press conference's header list, a report (`某某表示，`), the continuation of a report (numbered
 * points, a quotation), the title, the lead (`…全文如下：`), a `.meta.json` file.
 */
export const ATTRIBUTIONS = ['label', 'byline', 'header-list', 'reported', 'continuation', 'title', 'lead', 'meta'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export interface Speaker {
  name: string;
  role: string | null;
  attribution: Attribution;
}

/** A line or paragraph with its shadow. */
export interface Shadowed {
  text: string;
  norm: string;
}

export function shadowed(text: string | Shadowed): Shadowed {
  return typeof text === 'string' ? { text, norm: shadowOf(text) } : text;
}

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

function speakerOf(text: string, phrase: PersonPhrase, attribution: Attribution): Speaker {
  return { name: nameIn(text, phrase), role: roleIn(text, phrase) || null, attribution };
}

/** Where a label is: the label itself (offsets into the line) and where what was said begins. */
function labelBounds(norm: string): { start: number; end: number; restStart: number } | null {
  const start = BULLET.exec(norm)?.[0].length ?? 0;
  const bracketed = BRACKETED.exec(norm.slice(start));
  // Without a colon only a person in brackets is a label (`【主持人 某某】…`); `【某某网】…` is a source tag.
  const inner = bracketed && (bracketed[1] ?? bracketed[2]!);
  if (bracketed && inner && (bracketed[0].trimEnd().endsWith(':') || readPersonPhrase(inner)?.evidence === 'name')) {
    return { start: start + 1, end: start + 1 + inner.length, restStart: start + bracketed[0].length };
  }
  const colon = norm.indexOf(':', start);
  if (colon < start + 1 || colon > start + 60) return null;
  return { start, end: colon, restStart: colon + 1 };
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
  if (labelNorm === '' || NOT_IN_LABEL.test(labelNorm) || SALUTATION.test(`${labelNorm}:`)) return null;
  const make = (speaker: Speaker | null, turn: LabelTurn, role: string | null = null): SpeakerLabel | null =>
    // A label whose words are a short unfinished line is a headline or a header field, not a turn.
    speaker?.role || role || !isShortUnfinished(restNorm) ? { speaker, role, rest, turn } : null;

  if (QUESTION_MARK.test(labelNorm)) return make(null, 'question');
  if (ANSWER_MARK.test(labelNorm)) return make(null, 'answer');
  if (REPORTER.test(labelNorm) && labelNorm.length <= 20) return isShortUnfinished(restNorm) ? null : make({ name: label, role: null, attribution: 'label' }, 'question');
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
  const person = readPersonPhrase(labelNorm);
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
    const person = readPersonPhrase(norm);
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
      const split = compact.length === 5 || compact.length === 4 ? readPersonPhrase(nameNorm) : null;
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

export type ReportedSubject =
  /** `needsVoucher`: the name is also a word (`吉林`); only the document's own mention of it makes it a name. */
  | { kind: 'person'; speaker: Speaker; needsVoucher: boolean }
  /** `他说，…`: the last person named. */
  | { kind: 'pronoun' }
  /** `市长宣布：…`, `蔡总统表示，…`: whoever the document says holds the role (with that surname). */
  | { kind: 'role'; role: string; surname?: string };

/** A dateline before the report: `新华社北京3月7日电 `, `本报讯(记者 某某) `, `(中央社记者某某台北10日电)`, `【财新网】`. */
const DATELINE = /^(?:[^,。()\s]{0,30}?(?:电|消息|讯)(?:\([^()]{0,30}\))?\s*|\([^()]{0,40}(?:电|讯|报道)\)\s*|【[^【】]{1,12}】\s*)/;
/** A leading phrase before the person (`会上，`, `作为全国人大代表，`, `对此，`): short, one clause. */
const LEAD_PHRASE = /^[^,。!?:;“”"]{1,24},/;
/** Between the person and the verb: `在会上`, `17日在…上`, `在接受采访时`, `对记者`, `代表某党中央`, `致辞时`. */
const MIDDLE = /^(?:\d{1,2}日|今天|昨天|今日|昨日|日前|近日|当天|当日)?(?:(?:在|于|接受|就|对|向|面对|谈到|谈及|针对|代表)[^,。!?:;“”"]{0,24}|[^,。!?:;“”"]{1,10}时)?$/;
const ADVERB_AT_END = new RegExp(`(?:${REPORTING_ADVERBS.join('|')})$`);
/** After the verb: punctuation (`表示，`, `介绍说：`). */
const PUNCTUATION_AFTER_VERB = /^(?:说|道)?[,:]/;
const VERBS_LONGEST_FIRST = [...REPORTING_VERBS].sort((a, b) => b.length - a.length);
/** An aspect particle after the verb narrates an act (`介绍了情况`) instead of reporting words. */
const ASPECT = /^[了着过]/;

/** What stands before the verb, as a person, a pronoun or a role, or null. */
function classifySubject(line: Shadowed, offset: number, subject: string): ReportedSubject | null {
  const verbatim = line.text.slice(offset, offset + subject.length);
  if (PERSONAL_PRONOUNS.includes(subject)) return { kind: 'pronoun' };
  if (subject.length < 2 || NOT_IN_LABEL.test(subject)) return null;
  const person = readPersonPhrase(subject);
  if (person?.evidence === 'name') return { kind: 'person', speaker: speakerOf(verbatim, person, 'reported'), needsVoucher: false };
  const titled = readSurnameAndTitle(subject);
  if (titled) return { kind: 'role', role: verbatim.slice(1), surname: verbatim.slice(0, 1) };
  // In running text a name that is also a word (`总统|国庆`) needs more than a role before it: the discourse pass checks.
  if (person?.role) return { kind: 'person', speaker: speakerOf(verbatim, person, 'reported'), needsVoucher: true };
  if (isRole(subject) && subject.length <= 20) return { kind: 'role', role: verbatim };
  return null;
}

/**
 * The subject of a report, from `from` to `to` in the paragraph. What comes between the person and the
 * verb (`在会上`, `17日在…上`, `致辞时`, `还`) is set aside: the longest reading that leaves a person wins,
 * else the shortest that leaves a pronoun or a role.
 */
function subjectOf(line: Shadowed, from: number, to: number): ReportedSubject | null {
  const phrase = line.norm.slice(from, to).replace(ADVERB_AT_END, '');
  const leading = /^据/.test(phrase) ? 1 : 0;
  const ends = [...Array(phrase.length).keys()].filter((end) => end >= leading + 1 && MIDDLE.test(phrase.slice(end)));
  const readings = [...ends, phrase.length]
    .map((end) => classifySubject(line, from + leading, phrase.slice(leading, end).replace(ADVERB_AT_END, '').trimEnd()))
    .filter((reading) => reading !== null);
  // A person beats a role (`企业家代表暨某某在发言中说` is 暨某某, not `企业家` on someone's behalf), a name on
  // its own evidence beats one a role must vouch for, and the fullest name wins (`詹某英|在…时`, not `詹某|英在…时`).
  const people = readings.filter((reading) => reading.kind === 'person');
  const vouched = people.filter((reading) => !reading.needsVoucher);
  return vouched.at(-1) ?? people.at(-1) ?? readings[0] ?? null;
}

/** Where a report may start: after a dateline if there is one (else the paragraph's start), and after a leading phrase. */
function reportStarts(norm: string): number[] {
  const dateline = DATELINE.exec(norm)?.[0].length ?? 0;
  const lead = LEAD_PHRASE.exec(norm.slice(dateline));
  return lead ? [dateline, dateline + lead[0].length] : [dateline];
}

/** The person (or pronoun, or role) a paragraph opens by reporting: `[会上，]研究员王某某[还]表示，…`. */
export function readReportedOpening(input: string | Shadowed): ReportedSubject | null {
  const line = shadowed(input);
  for (const start of reportStarts(line.norm)) {
    const window = line.norm.slice(start, start + 60);
    for (let at = 1; at < window.length; at++) {
      const verb = VERBS_LONGEST_FIRST.find((candidate) => window.startsWith(candidate, at));
      if (!verb) continue;
      const end = at + verb.length;
      if (!PUNCTUATION_AFTER_VERB.test(window.slice(end))) {
        // Straight on: only a verb that takes a clause, read by jieba as a word of its own (`认为`, not `说明`).
        const straightOn = CLAUSE_VERBS.has(verb) && end < window.length && !ASPECT.test(window.slice(end));
        if (!straightOn || !isWordBoundary(window.slice(0, end + 6), at, end)) continue;
      }
      const subject = subjectOf(line, start, start + at);
      // A role and a name that is also a word, before a verb and its comma (`州长阿旺扎西表示，`), is a person;
      // straight on (`总统国庆致辞…`) it could be any phrase, so the document must vouch for the name.
      if (subject?.kind === 'person' && subject.needsVoucher && PUNCTUATION_AFTER_VERB.test(window.slice(end))) return { ...subject, needsVoucher: false };
      if (subject) return subject;
    }
  }
  return null;
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
