/**
 * Pure functions from answers to what people read: Telegram HTML (every
 * inserted text escaped, at most 4096 characters once Telegram has parsed
 * the tags) and plain text for the console. Quotes are verbatim; when space
 * runs out they are shortened as whole text before escaping, so a cut never
 * falls inside a tag or an entity.
 */
import {
  hanRuns, isSentenceEnd, type DocumentSummary, type SearchEngine, type SearchFilters, type SearchHit, type SpeakerCount, type StoredParagraph,
} from '../../retrieval/api.js';
import { encodeCallbackData, HASH_PREFIX_LENGTH } from './callback-data.js';
import { escapeHtml } from './html.js';
import type { Messages } from './i18n.js';

/** Telegram's limit on a message's text, after entity parsing. */
export const MAX_MESSAGE_LENGTH = 4096;

export type Answer =
  | { kind: 'found'; question: string; filters: SearchFilters; notes: string[]; hits: SearchHit[]; offset: number; total: number }
  | { kind: 'not-found'; question: string; filters: SearchFilters; notes: string[]; speakers: string[]; sources: string[] }
  /** Input the person must change (empty, unknown speaker…), already in their language. */
  | { kind: 'hint'; text: string };

export interface Button {
  text: string;
  data: string;
}

export interface Reply {
  html: string;
  buttons: Button[][];
}

/** The length Telegram counts: the text without tags, each entity one character. Only for HTML made here. */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/g, '').replace(/&(?:lt|gt|amp|quot);/g, '_').length;
}

/** `text.slice(start, end)`, moved so that neither end falls between the two halves of a surrogate pair. */
function safeSlice(text: string, start: number, end: number): string {
  const isLowSurrogate = (i: number) => /[\udc00-\udfff]/.test(text[i] ?? '');
  while (start > 0 && isLowSurrogate(start)) start--;
  while (end < text.length && isLowSurrogate(end)) end--;
  return text.slice(start, end);
}

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${safeSlice(text, 0, max - 1)}…`;
}

/** What the question shares with a passage, when search did not say: two-character pieces of Chinese, whole Latin words. */
function questionTerms(question: string): string[] {
  const terms = new Set<string>();
  for (const run of hanRuns(question)) {
    if (run.length === 1) terms.add(run);
    for (let i = 0; i + 2 <= run.length; i++) terms.add(run.slice(i, i + 2));
  }
  for (const word of question.toLowerCase().match(/[a-z0-9]{2,}/g) ?? []) terms.add(word);
  return [...terms];
}

/** Where `terms` occur in `text` (case-insensitive), as sorted, merged [start, end) ranges. */
function termRanges(text: string, terms: string[]): [number, number][] {
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const term of terms) {
    if (term === '') continue;
    for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + 1)) ranges.push([at, at + term.length]);
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** `text` escaped, with the terms in bold; the text itself is unchanged. */
export function highlightHtml(text: string, terms: string[]): string {
  let html = '';
  let from = 0;
  for (const [start, end] of termRanges(text, terms)) {
    html += `${escapeHtml(text.slice(from, start))}<b>${escapeHtml(text.slice(start, end))}</b>`;
    from = end;
  }
  return html + escapeHtml(text.slice(from));
}

/**
 * The stretch of at most `size` characters of `text` where the terms are
 * densest, starting at the beginning of its sentence when that is close,
 * marked with … where text was left out.
 */
export function excerptAround(text: string, terms: string[], size: number): string {
  if (text.length <= size) return text;
  const positions = termRanges(text, terms).map(([start]) => start);
  const lead = Math.floor(size / 5);
  const windowAt = (position: number) => Math.min(Math.max(position - lead, 0), text.length - size);
  let anchor = 0;
  let best = -1;
  for (const position of positions) {
    const start = windowAt(position);
    const count = positions.filter((p) => p >= start && p < start + size - 1).length;
    if (count > best || (count === best && position < anchor)) [anchor, best] = [position, count];
  }
  let start = windowAt(anchor);
  for (let i = anchor; i > 0 && anchor - i < 2 * lead; i--) {
    if (isSentenceEnd(text[i - 1]!)) {
      start = i;
      break;
    }
  }
  const end = Math.min(start + size, text.length);
  return `${start > 0 ? '…' : ''}${safeSlice(text, start, end).trim()}${end < text.length ? '…' : ''}`;
}

interface CitationParts {
  speaker: string | null;
  speakerDetail: string;
  where: string[];
}

function citationParts(paragraph: StoredParagraph, m: Messages): CitationParts {
  const { speaker, section, document } = paragraph;
  // A question is marked as one, never passed off as an answer: a reporter's with the reporter (`新华社记者(提问)`),
  // an unsigned one (`问：` in a written Q&A) as unsigned.
  const asked = paragraph.turn === 'question' ? m.asked : '';
  const asker = paragraph.turn === 'question' && !speaker ? paragraph.reporter : null;
  const detail = speaker
    ? `${speaker.role ? `(${speaker.role})` : ''}${asked}${m.attribution[speaker.attribution]}`
    : `${asker ? '' : m.unsigned}${asked}`;
  const sectionTitle = section.title && section.title !== document.title ? `《${section.title}》` : null;
  const where = [sectionTitle, `《${document.title}》`, document.source, document.date ?? m.dateUnknown];
  return { speaker: speaker?.name ?? asker ?? null, speakerDetail: detail, where: where.filter((part): part is string => !!part) };
}

export function citationText(paragraph: StoredParagraph, m: Messages): string {
  const { speaker, speakerDetail, where } = citationParts(paragraph, m);
  return `— ${speaker ?? ''}${speakerDetail} · ${where.join(' · ')}`;
}

export function citationHtml(paragraph: StoredParagraph, m: Messages): string {
  const { speaker, speakerDetail, where } = citationParts(paragraph, m);
  const name = speaker ? `<b>${escapeHtml(speaker)}</b>` : '';
  return `— ${name}${escapeHtml(speakerDetail)} · ${escapeHtml(where.join(' · '))}`;
}

export interface QuoteLayout {
  /** Characters of a long paragraph shown around the best match (the context button shows it whole). */
  window: number;
}

/** The terms to mark in a hit: those search matched, else the question's. */
export function hitTerms(hit: SearchHit, question: string): string[] {
  return hit.matchedTerms.length > 0 ? hit.matchedTerms : questionTerms(question);
}

/** A paragraph as a quote, once: whole when short, else the part around the match; matched terms in bold. */
export function quoteHtml(text: string, terms: string[], layout: QuoteLayout): string {
  return `<blockquote>${highlightHtml(excerptAround(text, terms, layout.window), terms)}</blockquote>`;
}

/** A quote found only by part of a word of the question (计算 of 计算机) says so under its citation. */
function fragmentHtml(hit: SearchHit, m: Messages): string {
  return hit.fragments.length > 0 ? `\n<i>${escapeHtml(m.fragmentNote(hit.fragments))}</i>` : '';
}

const WINDOWS = [400, 200, 80];

/** Layouts of `count` quotes, from the widest window to the narrowest. */
export function quoteLayouts(count: number, windows = WINDOWS): QuoteLayout[][] {
  return windows.map((window) => Array.from({ length: count }, () => ({ window })));
}

/**
 * The first rendering that fits a message: every layout with all items, then
 * with one item fewer, and so on. One item in the last layout must fit.
 */
export function fitting<T>(count: number, layouts: (count: number) => T[], render: (count: number, layout: T) => string): { html: string; count: number } {
  for (let shown = count; shown >= 1; shown--) {
    for (const layout of layouts(shown)) {
      const html = render(shown, layout);
      if (visibleLength(html) <= MAX_MESSAGE_LENGTH) return { html, count: shown };
    }
  }
  throw new Error('no rendering fits in a Telegram message');
}

const HEADER_QUESTION_LENGTH = 120;

/** The question as searched, after its filters in the interface language: `speaker: 王某 · source: 004 · 养老`. */
export function questionEcho(question: string, filters: SearchFilters, m: Messages): string {
  const parts = [
    filters.speaker ? `${m.filterLabels.speaker}${filters.speaker}` : null,
    filters.source ? `${m.filterLabels.source}${filters.source}` : null,
    question,
  ];
  return parts.filter((part): part is string => !!part).join(' · ');
}

function headerHtml(answer: Extract<Answer, { question: string }>, m: Messages): string {
  const lines = [`🔎 <b>${escapeHtml(questionEcho(shorten(answer.question, HEADER_QUESTION_LENGTH), answer.filters, m))}</b>`];
  for (const note of answer.notes) lines.push(`<i>${escapeHtml(note)}</i>`);
  return lines.join('\n');
}

/** Where the next page of an answer starts, once `shown` of its quotes are shown; null on the last page. */
export function nextPageOffset(answer: Extract<Answer, { kind: 'found' }>, shown: number): number | null {
  const next = answer.offset + shown;
  return next < answer.total ? next : null;
}

export function answerHtml(answer: Answer, m: Messages): Reply {
  switch (answer.kind) {
    case 'hint':
      return { html: escapeHtml(answer.text), buttons: [] };
    case 'not-found':
      return { html: `${headerHtml(answer, m)}\n\n${escapeHtml(m.notFound(answer.speakers, answer.sources))}`, buttons: [] };
    case 'found':
      return foundHtml(answer, m);
  }
}

function foundHtml(answer: Extract<Answer, { kind: 'found' }>, m: Messages): Reply {
  const { question, hits, offset, total } = answer;
  const { html, count } = fitting(hits.length, quoteLayouts, (shown, layouts) => {
    const range = m.resultRange(offset + 1, offset + shown, total);
    const quotes = hits
      .slice(0, shown)
      .map((hit, i) => `${quoteHtml(hit.text, hitTerms(hit, question), layouts[i]!)}\n<b>${hit.rank}</b> ${citationHtml(hit, m)}${fragmentHtml(hit, m)}`);
    return [`${headerHtml(answer, m)}\n${escapeHtml(range)}`, ...quotes].join('\n\n');
  });
  const shown = hits.slice(0, count);
  const buttons: Button[][] = [
    shown.map((hit) => ({
      text: m.contextButton(hit.rank),
      data: encodeCallbackData({ kind: 'ctx', hash: hit.contentHash.slice(0, HASH_PREFIX_LENGTH) }),
    })),
  ];
  const next = nextPageOffset(answer, count);
  if (next !== null) buttons.push([{ text: m.moreButton, data: encodeCallbackData({ kind: 'more', offset: next }) }]);
  return { html, buttons };
}

/** The console's rendering: no length limit, so every quote is whole. */
export function answerText(answer: Answer, m: Messages): string {
  if (answer.kind === 'hint') return answer.text;
  const header = [`${m.questionLabel}${questionEcho(answer.question, answer.filters, m)}`, ...answer.notes.map((note) => `(${note})`)];
  if (answer.kind === 'not-found') return [...header, '', m.notFound(answer.speakers, answer.sources)].join('\n');
  const { hits, offset, total } = answer;
  const quotes = hits.map((hit) => `${hit.rank}. 「${hit.text}」\n   ${citationText(hit, m)}${hit.fragments.length > 0 ? `\n   (${m.fragmentNote(hit.fragments)})` : ''}`);
  return [...header, m.resultRange(offset + 1, offset + hits.length, total), '', quotes.join('\n\n')].join('\n');
}

/** Paragraphs shown on each side of a quote asked about. */
export const CONTEXT_RADIUS = 1;

/** Limits for the paragraphs around a quote, tried in turn until the message fits. */
const NEIGHBOUR_LENGTHS = [Infinity, 600, 300, 120];
/** The quoted paragraph is whole unless it alone would nearly fill a message (none in the corpus does). */
const QUOTED_MAX = 3500;

/** Neighbouring paragraphs with the quoted one marked; neighbours are shortened when space runs out. */
export function contextHtml(paragraphs: StoredParagraph[], quotedId: number, m: Messages): string {
  const quoted = paragraphs.find((p) => p.paragraphId === quotedId) ?? paragraphs[0]!;
  return fitting(1, () => NEIGHBOUR_LENGTHS, (_, max) => {
    const body = paragraphs.map(({ paragraphId, position, text }) => {
      if (paragraphId === quoted.paragraphId) return `▶ <blockquote>${escapeHtml(shorten(text, QUOTED_MAX))}</blockquote>`;
      if (text.length <= max) return escapeHtml(text);
      // The paragraph before ends where the quote starts: keep its end.
      return escapeHtml(position < quoted.position ? `…${safeSlice(text, text.length - max, text.length)}` : shorten(text, max));
    });
    return [`<b>${escapeHtml(m.contextTitle)}</b>`, ...body, citationHtml(quoted, m)].join('\n\n');
  }).html;
}

export const SPEAKERS_PER_PAGE = 10;

/** The pages of /speakers, and the page shown when `page` is asked for (the nearest that exists). */
export function speakerPages(speakers: SpeakerCount[], page: number): { current: number; pages: number } {
  const pages = Math.max(1, Math.ceil(speakers.length / SPEAKERS_PER_PAGE));
  return { current: Math.min(Math.max(page, 1), pages), pages };
}

export function speakersHtml(speakers: SpeakerCount[], page: number, m: Messages): Reply {
  const { current, pages } = speakerPages(speakers, page);
  const lines = speakers
    .slice((current - 1) * SPEAKERS_PER_PAGE, current * SPEAKERS_PER_PAGE)
    .map((s) => `• <b>${escapeHtml(s.name)}</b>${s.role ? ` ${escapeHtml(s.role)}` : ''} (${escapeHtml(m.paragraphsCount(s.paragraphs))})`);
  const navigation: Button[] = [];
  if (current > 1) navigation.push({ text: m.previousPage, data: encodeCallbackData({ kind: 'spk', page: current - 1 }) });
  if (current < pages) navigation.push({ text: m.nextPage, data: encodeCallbackData({ kind: 'spk', page: current + 1 }) });
  return { html: [m.speakersHtml(current, pages), ...lines].join('\n'), buttons: navigation.length ? [navigation] : [] };
}

/** Documents, with the speeches of compilations; the list ends with … when it would not fit in `maxLength` (a message). */
export function sourcesHtml(documents: DocumentSummary[], m: Messages, maxLength = MAX_MESSAGE_LENGTH): string {
  const lines = [m.sourcesTitleHtml];
  for (const d of documents) {
    const facts = [d.date ?? m.dateUnknown, d.source, m.sourceSummary(d.sections, d.paragraphs)].filter(Boolean).join(' · ');
    lines.push('', `<b>${escapeHtml(d.title)}</b>`, `<code>${escapeHtml(d.file)}</code> · ${escapeHtml(facts)}`);
    if (d.layout === 'compilation') lines.push(...d.sectionTitles.map((title, i) => `  ${i + 1}. ${escapeHtml(title)}`));
  }
  let html = '';
  for (const line of lines) {
    const next = html === '' ? line : `${html}\n${line}`;
    if (visibleLength(next) > maxLength - 2) return `${html}\n…`;
    html = next;
  }
  return html;
}

/** /about: which index is in use, when it was built, with which model (or full-text only) and its calibration, how big. */
export function aboutHtml(engine: SearchEngine, m: Messages): string {
  const model = engine.hasVectors ? (engine.manifest.vectors?.model ?? null) : null;
  const calibration = model ? engine.manifest.vectors?.calibration : undefined;
  const about = m.aboutHtml(model, engine.manifest.builtAt, engine.catalogue.counts);
  return calibration ? `${about}\n${m.calibrationHtml(calibration)}` : about;
}

export interface InlineArticle {
  id: string;
  title: string;
  description: string;
  html: string;
}

/** One inline-mode result: a quote with its citation, as a message of its own. */
export function inlineArticle(hit: SearchHit, question: string, m: Messages): InlineArticle {
  const { html } = fitting(1, quoteLayouts, (_, [layout]) => `${quoteHtml(hit.text, hitTerms(hit, question), layout!)}\n${citationHtml(hit, m)}${fragmentHtml(hit, m)}`);
  const { speaker, speakerDetail } = citationParts(hit, m);
  return {
    // Rank keeps ids unique even if two paragraphs share a hash prefix; both fit well within 64 bytes.
    id: `${hit.rank}-${hit.contentHash.slice(0, HASH_PREFIX_LENGTH)}`,
    title: shorten(`${speaker ?? ''}${speakerDetail} · ${hit.section.title ?? hit.document.title}`, 100),
    description: shorten(hit.text, 120),
    html,
  };
}
