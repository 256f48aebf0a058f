/**
 * Who speaks: speaker labels and the lines that name a speaker, in the forms
 * Chinese speech texts use (full-width or half-width punctuation alike):
 * - inline labels: `副市长王某某：…`, `王某某（副市长）：…`, `王某某：…`, `市长**王某某**：…`;
 * - labels alone on their line (`路透社记者：`, the turn below); reporters' turns are questions, the
 *   host's only when they ask; `问：`/`答：` mark turns without naming anyone (see parse-answerer.ts);
 * - role-name lines under a headline: `某某大学法学院院长  郑某某` (two spaces, U+3000 or NBSP);
 * - bylines: a name alone on a line (`王某某`), optionally with a role (`市长  王某某`);
 * - third-person reports: `市委书记赵某某表示，…` (the reported person, marked as reported).
 * A name must look like a person's name (surname, length, not a common word), so
 * `孙中山先生说过：` or `七十年的历史告诉我们：` never become speakers.
 */
import { hasNameShape, isPersonName } from './person-name.js';

/** How an attribution was made; shown to readers so they can weigh it. */
export type Attribution = 'label' | 'byline' | 'header-list' | 'reported' | 'meta';

export interface Speaker {
  name: string;
  role: string | null;
  attribution: Attribution;
}

/**
 * What a label says about its turn: a reporter's question; the host's words (a question only when they
 * ask one: a press conference host mostly opens, hands over and closes); an answer whose label does not
 * name who gives it (`答：`); or a statement.
 */
export type LabelTurn = 'question' | 'host' | 'answer' | 'statement';

export interface SpeakerLabel {
  /** Null for `问：` and `答：`, which mark a turn without naming who takes it. */
  speaker: Speaker | null;
  /** What the speaker said after the label, verbatim ('' when the label stands alone on its line). */
  rest: string;
  turn: LabelTurn;
}

/** Endings of official titles; the name follows one of these. */
const TITLE_ENDING =
  /(?:长|主任|书记|委员|员|主席|秘书|部长|局长|处长|科长|队长|组长|负责人|经理|董事|院长|校长|所长|总监|总师|专员|参事|巡视员|调研员|干事|代表|记|馆长|站长|会长|理事|主编|社长|教授|研究员|发言人|主持人|专家|律师|法官|检察官|教师|医生|农民|工人|村民|居民|企业家|创始人)$/;

/** A role mentions an organisation or an office. */
const ROLE_HINT = /[市县区省委局厅部办府院镇乡村街队组处科所会司站中心集团公司校学署行]|主任|书记|长$|员$|人$|家$|师$|官$/;

const LABEL = /^(.{1,60}?)[:：](.*)$/s;
const BOLD_NAME = /^(.*?)\*\*([^*]{2,6})\*\*$/;
const NAME_ROLE = /^([\u4e00-\u9fa5·]{2,5})[(（]([^()（）]{2,40})[)）]$/;
/** Reporters put questions: `新华社记者`, `记者`. */
const REPORTER = /记者$/;
const HOST = /^主持人$/;
/** `问：`/`答：` mark the turns of a written Q&A without naming anyone. */
const QUESTION_MARK = /^(?:问|提问)$/;
const ANSWER_MARK = /^(?:答|回答)$/;
/** `市委书记强调：` is a reported statement, not a label: the "name" would be a verb. */
const REPORTING_VERB = /(?:强调|指出|表示|认为|介绍|提出|要求|说|讲|道|称|答|告诉|说过|写道)$/;
/** Between a role and a name on a byline: spaces, U+3000 or NBSP. */
const GAP = /[ \t\u3000\u00a0]+/;
/** A third-person report: `市委书记赵某某表示，…`, `赵某某在会上指出：…`. */
const REPORTED = /^([\u4e00-\u9fa5、·]{2,40}?)(?:在[^，,。：:]{1,20}?)?(?:表示|指出|强调|介绍|认为|说|提出|要求)[，,：:]/;
/** Punctuation that never stands inside a label. */
const NOT_IN_LABEL = /[,，。;；!?！？“”"‘’《》]/;

function isRole(text: string): boolean {
  return text.length >= 2 && text.length <= 40 && ROLE_HINT.test(text) && !NOT_IN_LABEL.test(text);
}

/** `副市长王某某` → role 副市长, name 王某某; prefers the split that leaves a title ending on the role. */
export function splitRoleAndName(label: string): { role: string | null; name: string } | null {
  const bold = BOLD_NAME.exec(label);
  if (bold) {
    const [, role, name] = bold;
    if (!hasNameShape(name!)) return null;
    return { role: role!.trim() || null, name: name! };
  }
  const paren = NAME_ROLE.exec(label);
  if (paren && hasNameShape(paren[1]!) && isRole(paren[2]!)) return { role: paren[2]!, name: paren[1]! };
  if (REPORTING_VERB.test(label)) return null;
  if (isPersonName(label)) return { role: null, name: label };
  for (const length of [3, 2, 4]) {
    const role = label.slice(0, -length).replace(/[、\s\u3000\u00a0]+$/, '');
    const name = label.slice(-length);
    if (role.length >= 2 && hasNameShape(name) && !REPORTING_VERB.test(name) && TITLE_ENDING.test(role) && isRole(role)) return { role, name };
  }
  return null;
}

/**
 * `刘某：收集废旧药盒问诊` (a headline) and `主持人：林某  新闻办副主任` (a header field) have a short
 * unfinished line after the colon. (A label with a role, `副市长王某某：…`, is a turn even when a page
 * break cuts its first line short.)
 */
function isShortUnfinished(rest: string): boolean {
  return rest !== '' && rest.length <= 40 && !/(?:[。!?！？…”"]|(?<![A-Za-z\d])\.)$/.test(rest);
}

/** The turn a label without a person's name marks (`记者：`, `主持人：`, `问：`, `答：`), or null. */
function unnamedTurn(label: string): { speaker: Speaker | null; turn: LabelTurn } | null {
  const named: Speaker = { name: label, role: null, attribution: 'label' };
  if (QUESTION_MARK.test(label)) return { speaker: null, turn: 'question' };
  if (ANSWER_MARK.test(label)) return { speaker: null, turn: 'answer' };
  if (HOST.test(label)) return { speaker: named, turn: 'host' };
  if (REPORTER.test(label) && label.length <= 20) return { speaker: named, turn: 'question' };
  return null;
}

/** Reads a speaker label at the start of a paragraph (or standing alone), or returns null when there is none. */
export function parseSpeakerLabel(text: string): SpeakerLabel | null {
  const match = LABEL.exec(text);
  if (!match) return null;
  const label = match[1]!.trim().replace(/^[□■◇◆●]/, '');
  const rest = match[2]!.trim();
  if (NOT_IN_LABEL.test(label) || label.length < 1) return null;
  const unnamed = unnamedTurn(label);
  if (unnamed) return isShortUnfinished(rest) ? null : { ...unnamed, rest };
  const split = splitRoleAndName(label);
  if (!split || (split.role === null && isShortUnfinished(rest))) return null;
  return { speaker: { name: split.name, role: split.role, attribution: 'label' }, rest, turn: 'statement' };
}

/** A line that is only a name, or a role and a name (either order), as under a headline or a speech title. */
export function parseNameLine(text: string): Speaker | null {
  const line = text.trim();
  if (isPersonName(line)) return { name: line, role: null, attribution: 'byline' };
  const parts = line.split(GAP);
  if (parts.length === 2) {
    const [first, second] = parts as [string, string];
    if (hasNameShape(second) && isRole(first)) return { name: second, role: first, attribution: 'byline' };
    if (hasNameShape(first) && isRole(second)) return { name: first, role: second, attribution: 'byline' };
  }
  if (parts.length === 1 && !NOT_IN_LABEL.test(line)) {
    const split = splitRoleAndName(line);
    if (split?.role && isRole(split.role)) return { name: split.name, role: split.role, attribution: 'byline' };
  }
  return null;
}

/** The person a news paragraph reports (`赵某某表示，…`), or null. */
export function parseReportedSpeaker(text: string): Speaker | null {
  const match = REPORTED.exec(text);
  if (!match) return null;
  const subject = match[1]!;
  const split = splitRoleAndName(subject);
  if (!split) return null;
  return { name: split.name, role: split.role, attribution: 'reported' };
}

/** Words before a role in running text that are not part of it: `请…`, `专访了…`, a `——访…` subtitle. */
const BEFORE_ROLE = /^.*[的是有为由请了]|^(?:专访|采访|访问|访|对话)/;
/** A role that names an organisation identifies a person better than a description like `种业专家`. */
const NAMES_ORGANISATION = /[市县区省委局厅部办府院镇乡村街队组处科所会司站中心集团公司校学署行]/;

/**
 * The role a document gives a person elsewhere (`国家统计局新闻发言人、国民经济综合统计司司长付某某`),
 * for labels that carry only a name. When several mentions give roles, the first that names an
 * organisation wins (an interview's `——访种业专家某某` subtitle describes, the introduction gives the office).
 */
export function roleMentionedFor(name: string, text: string): string | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mention = new RegExp(`([\\u4e00-\\u9fa5、]{2,40}?)[ \\u3000\\u00a0]*${escaped}`, 'g');
  const roles: string[] = [];
  for (const match of text.matchAll(mention)) {
    const candidate = match[1]!.replace(BEFORE_ROLE, '');
    for (let start = 0; start < candidate.length - 1; start++) {
      const role = candidate.slice(start);
      if (TITLE_ENDING.test(role) && isRole(role)) {
        roles.push(role);
        break;
      }
    }
  }
  return roles.find((role) => NAMES_ORGANISATION.test(role)) ?? roles[0] ?? null;
}
