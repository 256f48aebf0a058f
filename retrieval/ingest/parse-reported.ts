/**
 * Reported speech: the person (or pronoun, or role) a paragraph opens by
 * reporting, read on its shadow: `[新华社某地电 ][会上，][研究员]王某某[还][在会
 * 上]表示，…`, `他说，…`, `市长宣布：…`, `某某发表新春贺辞，表示…`. Which of these
 * make a paragraph the person's is for the discourse pass (discourse.ts).
 */
import type { Speaker } from './document.js';
import { CLAUSE_VERBS, PERSONAL_PRONOUNS, REPORTING_ADVERBS, REPORTING_VERBS } from './lexicon.js';
import { nameEvidence } from './person-name.js';
import { isRole, NOT_IN_LABEL, readPersonPhrase, readSurnameAndTitle, speakerOf } from './person-phrase.js';
import { shadowed, type Shadowed } from './shadow.js';
import { isWordBoundary, tagWords } from './words.js';

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
/** Between the person and the verb: `在会上`, `17日在…上`, `在接受采访时`, `对记者`, `代表某党中央`, `致辞时`, `献词中`. */
const MIDDLE = /^(?:\d{1,2}日|[今昨]\(\d{1,2}\)日|今天|昨天|今日|昨日|日前|近日|当天|当日|上午|下午|晚上)*(?:(?:在|于|接受|就|对|向|面对|谈到|谈及|针对|代表)[^,。!?:;“”"]{0,24}|[^,。!?:;“”"]{1,20}[时中])?$/;
/** After the verb: punctuation (`表示，`, `介绍说：`). */
const PUNCTUATION_AFTER_VERB = /^(?:说|道)?[,:]/;
const VERBS_LONGEST_FIRST = [...REPORTING_VERBS].sort((a, b) => b.length - a.length);
/** Verbs that take the person spoken to before what is said (`提醒毕业生：`). */
const OBJECT_VERBS: ReadonlySet<string> = new Set(['提醒', '告诉', '呼吁', '勉励', '寄语', '嘱咐', '告诫', '号召', '鼓励', '希望', '要求']);
const OBJECT_BEFORE_PUNCTUATION = /^[^,。!?:;“”"]{1,6}(?=[,:])/;
/**
 * After the verb, an aspect particle narrates an act (`介绍了情况`) instead of reporting words, and `的` makes the
 * verb part of a noun phrase (`就记者提出的问题作了回答`).
 */
const ASPECT = /^[了着过的]/;

/**
 * `phrase` without the adverbs and idioms that end it (`还`, `也`, `进一步`, `语重心长地`): jieba's adverbs,
 * idioms and the adverbial `地`, and the lexicon's adverbs. A name that ends like one is kept whole (`高某均` is one word to jieba).
 */
function withoutTrailingAdverbs(phrase: string): string {
  const words = tagWords(phrase, true);
  while (words.length > 1) {
    const last = words.at(-1)!;
    if (!(/^(?:d|ad|i|l|uv)$/.test(last.tag) || REPORTING_ADVERBS.includes(last.word))) break;
    words.pop();
  }
  return words.map((word) => word.word).join('');
}

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
  // A name with no role that is not a name on its own evidence (`仉某某`, a rare surname; not a word like `文件`):
  // only if the document vouches for it.
  if (subject.length <= 4 && nameEvidence(subject) === 'possible' && tagWords(subject).length > 1) {
    return { kind: 'person', speaker: { name: verbatim, role: null, attribution: 'reported' }, needsVoucher: true };
  }
  return null;
}

/**
 * The subject of a report, from `from` to `to` in the paragraph. What comes between the person and the
 * verb (`在会上`, `17日在…上`, `致辞时`, `还`) is set aside: the longest reading that leaves a person wins,
 * else the shortest that leaves a pronoun or a role.
 */
function subjectOf(line: Shadowed, from: number, to: number): ReportedSubject | null {
  const phrase = withoutTrailingAdverbs(line.norm.slice(from, to));
  const leading = /^据/.test(phrase) ? 1 : 0;
  // The middle starts where a word starts (`总统|致辞时`, not `陈院|长致辞时`).
  const ends = [...Array(phrase.length).keys()].filter((end) => end >= leading + 1 && MIDDLE.test(phrase.slice(end)) && isWordBoundary(phrase, 0, end));
  const readings = [...ends, phrase.length]
    .map((end) => classifySubject(line, from + leading, withoutTrailingAdverbs(phrase.slice(leading, end)).trimEnd()))
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

/** The longest person phrase at the start of `clause` that ends where a word ends (`澳门行政长官某某|发表…`). */
function personOpening(line: Shadowed, clauseEnd: number): ReportedSubject | null {
  for (let end = Math.min(clauseEnd, 24); end >= 2; end--) {
    const person = readPersonPhrase(line.norm.slice(0, end));
    if (person?.evidence === 'name' && isWordBoundary(line.norm.slice(0, end + 6), 0, end)) {
      return { kind: 'person', speaker: speakerOf(line.text.slice(0, end), person, 'reported'), needsVoucher: false };
    }
  }
  return null;
}

/**
 * A person who does something, then says it: `某某发表新春贺辞，表示…`, `某某主持会议并讲话，指出…`,
 * `某某发表讲话，她说，…`, `…人士朱某某，在一次演讲中说到：…`. The clause opens with the person (after a dateline
 * or a leading phrase), and after its comma come a reporting verb and its punctuation (a pronoun or a phrase
 * like `在…中` may stand before the verb).
 */
function reportedAfterAClause(line: Shadowed): ReportedSubject | null {
  for (const start of reportStarts(line.norm)) {
    const comma = line.norm.indexOf(',', start);
    if (comma < start + 2 || comma > start + 40 || /[。!?:;“”"]/.test(line.norm.slice(start, comma))) continue;
    const after = line.norm.slice(comma + 1, comma + 30);
    const said = VERBS_LONGEST_FIRST.map((verb) => [verb, after.indexOf(verb)] as const).find(([verb, at]) => {
      if (at < 0 || !PUNCTUATION_AFTER_VERB.test(after.slice(at + verb.length))) return false;
      const before = after.slice(0, at);
      return before === '' || PERSONAL_PRONOUNS.includes(withoutTrailingAdverbs(before)) || MIDDLE.test(before);
    });
    if (!said) continue;
    const opening = personOpening({ text: line.text.slice(start), norm: line.norm.slice(start) }, comma - start);
    if (opening) return opening;
  }
  return null;
}

/** The person (or pronoun, or role) a paragraph opens by reporting: `[会上，]研究员王某某[还]表示，…`. */
export function readReportedOpening(input: string | Shadowed): ReportedSubject | null {
  const line = shadowed(input);
  return reportedAtStart(line) ?? reportedAfterAClause(line);
}

function reportedAtStart(line: Shadowed): ReportedSubject | null {
  for (const start of reportStarts(line.norm)) {
    const window = line.norm.slice(start, start + 60);
    for (let at = 1; at < window.length; at++) {
      const verb = VERBS_LONGEST_FIRST.find((candidate) => window.startsWith(candidate, at));
      if (!verb) continue;
      let end = at + verb.length;
      // A verb with its person object before the punctuation: `提醒毕业生：`, `告诉记者，`.
      const object = OBJECT_VERBS.has(verb) ? OBJECT_BEFORE_PUNCTUATION.exec(window.slice(end)) : null;
      if (object) end += object[0].length;
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
