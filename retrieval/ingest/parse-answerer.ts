/**
 * Written Q&A (答记者问, 政策解读: `问：…` / `答：…`): the answers' labels name nobody; the
 * introduction says who answers (`市某某局局长某某某就群众关心的问题回答了记者提问`,
 * `记者专访了某某研究所所长某某某`). The answerer is the person the introduction names with a role
 * and says answers or is interviewed; failing that, the only person its first paragraph names with a
 * role (later paragraphs may be the answerer's own statement, naming others: `应某国首相某某邀请，…`).
 * Several candidates, or none (`有关负责人就…答记者问`), leave the answers to the caller. Read on the
 * shadow, so that traditional script (`發言人`) reads as simplified.
 */
import type { Speaker } from './document.js';
import { roleMentionedFor } from './person-phrase.js';
import { isPersonName } from './person-name.js';
import { shadowed, type Shadowed } from './shadow.js';

/** What follows a name in running text: a particle or verb, a form of address, punctuation. */
const AFTER_NAME = /^(?:$|就|接受|回答|答|介绍|解读|表示|指出|强调|认为|说|在|向|对|作|做|出席|参加|主持|陪同|等|同志|先生|女士|[，,、。；;（(])/;
/** A sentence saying that someone answers questions or is interviewed. */
const ANSWERS = /答|接受[^。！？!?]{0,12}(?:采访|专访)|专访|解读/;
const SENTENCE = /[^。！？!?]+/g;

/** People named with a role right before the name, each with the sentence that names them (names verbatim). */
function peopleNamedIn(paragraph: Shadowed): { name: string; role: string; sentence: string }[] {
  const people: { name: string; role: string; sentence: string }[] = [];
  for (const match of paragraph.norm.matchAll(SENTENCE)) {
    const sentence = match[0];
    for (let start = 2; start < sentence.length - 1; start++) {
      for (const length of [3, 2, 4]) {
        const name = sentence.slice(start, start + length);
        if (name.length < length || !AFTER_NAME.test(sentence.slice(start + length)) || !isPersonName(name)) continue;
        const role = roleMentionedFor(name, sentence.slice(0, start + length));
        if (role) {
          const at = match.index + start;
          people.push({ name: paragraph.text.slice(at, at + length), role, sentence });
          start += length - 1;
          break;
        }
      }
    }
  }
  return people;
}

/** The person who answers the unnamed `答：` turns, read from the paragraphs before the first turn. */
export function answererNamedIn(introduction: readonly string[]): Speaker | null {
  const paragraphs = introduction.map((paragraph) => peopleNamedIn(shadowed(paragraph)));
  const people = paragraphs.flat();
  const names = (list: typeof people) => [...new Set(list.map((person) => person.name))];
  const answering = names(people.filter((person) => ANSWERS.test(person.sentence)));
  const framing = names(paragraphs[0] ?? []);
  const name = answering.length === 1 ? answering[0]! : framing.length === 1 ? framing[0]! : null;
  if (name === null) return null;
  return { name, role: people.find((person) => person.name === name)!.role, attribution: 'label' };
}
