/**
 * The structure of newspaper and web documents: a sequence of turns and
 * articles. Discussion summaries (a headline, a speaker label or a role-name
 * line, the speaker's paragraphs, a reporter byline), speeches (title, the
 * speaker's name line, a salutation), transcripts (labels inline or alone on
 * their line, questions belonging to the asker) and news (numbered themes,
 * headlines, bylines, sub-headlines). A speaker line or a headline opens a
 * section, a byline closes it (or, right after a headline, belongs to the
 * section it opens). Who speaks in the sections no label opened is for the
 * discourse pass (discourse.ts).
 */
import type { Block } from './parse-blocks.js';
import { newSection, type Section, type Speaker } from './document.js';
import type { DocumentContext } from './document-context.js';
import { answererNamedIn } from './parse-answerer.js';
import { parseNameLine, parseSpeakerLabel } from './parse-speaker.js';
import { shadowOf } from './shadow.js';

/** A host's turn is a question when it asks something; otherwise the host opens, hands over and closes. */
const ASKS = /[？?]/;
/** A turn that ends by asking (`…你怎么看？`): a question, put to whoever speaks next. */
const ENDS_ASKING = /[？?][”」』"）)]*$/;

/**
 * A labelled turn that ends with a question and is answered by someone else is a question, whoever puts it
 * (a legislator at a question session, `某某议员：…？`); answers and statements end otherwise.
 */
function markQuestions(sections: readonly Section[], turns: ReadonlySet<Section>): void {
  sections.forEach((section, index) => {
    const next = sections[index + 1];
    const asks = ENDS_ASKING.test(section.paragraphs.at(-1)?.text.trim() ?? '');
    if (turns.has(section) && section.turn === null && section.speaker && asks && next && turns.has(next) && next.speaker?.name !== section.speaker.name) {
      section.turn = 'question';
    }
  });
}

/**
 * A name line stands where a byline stands: first after the title (or after a subtitle heading), with the
 * speech (or its salutation) below. There a name that is also a word (`吉林`) is still a name.
 */
function standsAsByline(blocks: readonly Block[], index: number): boolean {
  const previous = blocks[index - 1];
  const next = blocks[index + 1];
  return (previous === undefined || previous.kind === 'heading') && (next?.kind === 'salutation' || next?.kind === 'paragraph');
}

/** A bare name beside another bare name is a list (photo captions, `吴某某` `李某某` …), not a byline. */
function inListOfNames(blocks: readonly Block[], index: number): boolean {
  const bare = (block: Block | undefined) => block?.kind === 'heading' && parseNameLine(block)?.role === null;
  return bare(blocks[index]) && (bare(blocks[index - 1]) || bare(blocks[index + 1]));
}

/** A report opens with a dateline (`某某网某地4月29日讯`, `新华社北京电`): a name line above it was a photo caption. */
const DATELINE_LEAD = /^[^,。]{0,30}?(?:\d{1,2}月\d{1,2}日|[一二三四五六七八九十]+日)?(?:电|讯|消息)(?:\(|\s)/;

/** Sections a name line opened whose text is a news report (a dateline first): the name was a caption. */
function unsignCaptionedReports(sections: Section[]): void {
  for (const section of sections) {
    const first = section.paragraphs[0];
    if (section.speaker?.attribution === 'byline' && first && DATELINE_LEAD.test(shadowOf(first.text))) section.speaker = null;
  }
}

export interface ArticleSections {
  sections: Section[];
  /** Sections a label opened: turns of a transcript, whoever holds them (the discourse pass leaves them alone). */
  turns: ReadonlySet<Section>;
}

export function sectionsFromArticles(blocks: readonly Block[], context: DocumentContext): ArticleSections {
  const sections: Section[] = [];
  const turns = new Set<Section>();
  let current: Section | null = null;
  let pendingHeadings: string[] = [];
  let subHeading: string | null = null;
  const hostTurns: Section[] = [];
  /** The text before the first label: where a written Q&A names who gives its unnamed answers. */
  const introduction: string[] = [];
  let labelled = false;
  let answerer: Speaker | null | undefined;
  /** Who a heading or name line before the first label gave the floor (`外交部发言人某某主持例行记者会` above the statement). */
  let openingSpeaker: Speaker | null = null;
  /**
   * Unnamed `答：` turns: the person the introduction says answers, else the one a heading before the first turn
   * gave the floor, else the one the title says holds the briefing.
   */
  const unnamedAnswerer = (): Speaker | null => {
    answerer ??= answererNamedIn(introduction) ?? openingSpeaker ?? context.titleSpeaker();
    return answerer && { ...answerer };
  };

  const open = (speaker: Speaker | null, turn: Section['turn'] = null): Section => {
    const section = newSection(pendingHeadings.length > 0 ? pendingHeadings.join(' · ') : null, speaker, turn);
    sections.push(section);
    pendingHeadings = [];
    subHeading = null;
    return section;
  };

  for (const [index, block] of blocks.entries()) {
    switch (block.kind) {
      case 'heading': {
        // A name line, or a heading that names who speaks below it (`江某某的讲话` above a salutation).
        const byline = standsAsByline(blocks, index);
        const named = inListOfNames(blocks, index) ? null : (parseNameLine(block, byline) ?? (byline ? (context.headingSpeaker(block) ?? context.nameLineVouchedByTitle(block)) : null));
        if (named) {
          if (!labelled) openingSpeaker ??= named;
          current = open(named);
          break;
        }
        // A numbered theme (`6.以人为核心…`) always starts something new; other headings (`2022年全省法院工作`
        // in a speech) wait to see what follows.
        if (/^\d{1,2}[.、]/.test(block.norm)) current = null;
        pendingHeadings.push(block.text);
        break;
      }
      case 'byline':
        if (current && current.paragraphs.length > 0 && pendingHeadings.length === 0) {
          current.reporter = block.reporter;
          current = null;
        } else {
          current = open(null);
          current.reporter = block.reporter;
        }
        break;
      case 'salutation':
        break;
      case 'paragraph': {
        const label = parseSpeakerLabel(block);
        if (label) {
          labelled = true;
          // A reporter's or an outlet's question (`新华社记者：`, `某某 某台记者：`) is asked, not said: the asker is its
          // reporter, and the speakers of the document are the people who answer.
          const asker = label.turn === 'question' ? label.speaker : null;
          const speaker =
            label.turn === 'question' ? null
            : label.turn === 'answer' ? unnamedAnswerer()
            : (label.speaker ?? (label.role !== null ? context.holderOf(label.role) : null));
          current = open(speaker, label.turn === 'question' ? 'question' : null);
          if (asker) current.reporter = `${asker.role ?? ''}${asker.name}`;
          turns.add(current);
          if (label.turn === 'host') hostTurns.push(current);
          if (label.rest !== '') current.paragraphs.push({ text: label.rest, heading: block.subhead ?? null });
          break;
        }
        if (!labelled) introduction.push(block.text);
        if (!current) current = open(null);
        else if (pendingHeadings.length > 0) {
          subHeading = pendingHeadings.join(' · ');
          pendingHeadings = [];
        }
        current.paragraphs.push({ text: block.text, heading: subHeading ?? block.subhead ?? null });
        break;
      }
    }
  }
  for (const section of hostTurns) section.turn = section.paragraphs.some((paragraph) => ASKS.test(paragraph.text)) ? 'question' : null;
  markQuestions(sections, turns);
  unsignCaptionedReports(sections);
  return { sections: sections.filter((section) => section.paragraphs.length > 0), turns };
}
