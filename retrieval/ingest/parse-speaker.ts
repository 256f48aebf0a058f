/**
 * Speaker labels that open a speaker's turn in discussion summaries:
 * `副市长王爱武:…`, `市委组织部副部长、市人社局局长**聂立新**:…`.
 */

export interface Speaker {
  name: string;
  role: string | null;
  /** True when the attribution rests on the document's header (e.g. a press conference's list of speakers), not a label. */
  inferred: boolean;
}

export interface SpeakerLabel {
  speaker: Speaker;
  /** What the speaker said after the label, verbatim. */
  rest: string;
}

/** Endings of official titles; the name follows one of these. */
const TITLE_ENDING =
  /(?:长|主任|书记|委员|员|主席|秘书|部长|局长|处长|科长|队长|组长|负责人|经理|董事|院长|校长|所长|总监|总师|专员|参事|巡视员|调研员|干事|代表|记|馆长|站长|会长|理事|主编|社长)$/;

/** A role mentions an organisation or an office. */
const ROLE_HINT = /[市县区省委局厅部办府院镇乡村街队组处科所会司站中心集团公司]|主任|书记|长$/;

const LABEL = /^(.{2,60}?)[::](.+)$/s;
const BOLD_NAME = /^(.*?)\*\*([^*]{2,6})\*\*$/;
const HAN_NAME = /^[\u4e00-\u9fa5]{2,4}$/;
/** `市委书记强调:` is a reported statement, not a label: the "name" would be a verb. */
const REPORTING_VERB = /(?:强调|指出|表示|认为|介绍|提出|要求|说|讲|道|称|答)$/;

function splitRoleAndName(label: string): { role: string; name: string } | null {
  const bold = BOLD_NAME.exec(label);
  if (bold) {
    const [, role, name] = bold;
    return HAN_NAME.test(name!) && role!.length >= 2 ? { role: role!, name: name! } : null;
  }
  // Chinese names are two to four characters; prefer the split that leaves a title ending on the role.
  for (const length of [3, 2, 4]) {
    const role = label.slice(0, -length);
    const name = label.slice(-length);
    if (role.length >= 2 && HAN_NAME.test(name) && !REPORTING_VERB.test(name) && TITLE_ENDING.test(role)) {
      return { role, name };
    }
  }
  return null;
}

/** Reads a speaker label at the start of a paragraph, or returns null when there is none. */
export function parseSpeakerLabel(text: string): SpeakerLabel | null {
  const match = LABEL.exec(text);
  if (!match) return null;
  const label = match[1]!.trim();
  const rest = match[2]!.trim();
  if (/[,,。;;!?“”"]/.test(label) || rest === '') return null;
  const split = splitRoleAndName(label);
  if (!split || !ROLE_HINT.test(split.role)) return null;
  return { speaker: { name: split.name, role: split.role, inferred: false }, rest };
}
