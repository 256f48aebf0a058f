/**
 * Every string the bot shows, in Chinese and English. Chinese for users whose
 * Telegram language starts with "zh", English for everyone else. Quotes from
 * the corpus are never translated.
 *
 * Strings named `…Html` are Telegram HTML and escape what they insert; the
 * others are plain text, escaped by whoever puts them into HTML.
 */
import type { Calibration, CorpusExamples, Fragment } from '../../retrieval/api.js';
import { escapeHtml } from './html.js';

export type Language = 'zh' | 'en';

/** Where the interface is shown: a Telegram chat (buttons, groups) or the console chat (typed commands). */
export type Surface = 'telegram' | 'console';

/** A command as /help lists it. */
export interface CommandHelp {
  name: string;
  description: string;
}

function commandLines(commands: CommandHelp[]): string {
  return commands.map((c) => `/${escapeHtml(c.name)} ${escapeHtml(c.description)}`).join('\n');
}

export function languageOf(languageCode: string | undefined): Language {
  return languageCode?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Filter examples for /help from the index (examples.ts), HTML-escaped, with placeholders when the corpus has no speaker or document. */
function filterExamplesHtml(examples: CorpusExamples): { speaker: string; speakerTerm: string; source: string; sourceTerm: string } {
  return {
    speaker: escapeHtml(examples.speaker?.name ?? 'NAME'),
    speakerTerm: escapeHtml(examples.speaker?.term ?? examples.term),
    source: escapeHtml(examples.source?.prefix ?? 'FILE'),
    sourceTerm: escapeHtml(examples.source?.term ?? examples.term),
  };
}

export interface CorpusCounts {
  documents: number;
  sections: number;
  paragraphs: number;
  speakers: number;
}

const zh = {
  commands: {
    start: '简介与示例问题',
    help: '用法与筛选语法',
    ask: '提问,例如 /ask 问题',
    speakers: '讲话人列表',
    sources: '文件与讲话列表',
    about: '索引与模型信息',
    timeline: '某个话题的原文按时间排列,例如 /timeline 话题',
    speaker: '讲话人概况:职务、文件、常谈话题、代表性原文',
    compare: '两位讲话人或两份文件谈同一话题,例如 /compare 甲 乙 话题',
  },
  startHtml: (counts: CorpusCounts, surface: Surface) =>
    '你好!我回答关于政府讲话的问题,只引用原文:每段引文都注明讲话人、职务和出处。\n\n' +
    `语料:${counts.documents} 份文件,${counts.sections} 篇讲话或发言,${counts.paragraphs} 段,${counts.speakers} 位讲话人。\n\n` +
    (surface === 'telegram' ? '直接发问题给我,或点下面的示例。' : '输入问题后按回车,例如下面的示例。') + '/help 查看筛选语法。',
  helpHtml: (examples: CorpusExamples, commands: CommandHelp[], surface: Surface) => {
    const { speaker, speakerTerm, source, sourceTerm } = filterExamplesHtml(examples);
    return (
      '<b>怎么提问</b>\n' +
      (surface === 'telegram'
        ? '在私聊里直接发问题(中文或英文);在群里用 /ask 问题,或 @我,或回复我的消息。\n\n'
        : '输入问题(中文或英文)后按回车。以 / 开头的是命令。\n\n') +
      '<b>筛选</b>\n' +
      `<code>speaker:${speaker} ${speakerTerm}</code> 或 <code>讲话人:${speaker} …</code>:只看某位讲话人\n` +
      `<code>${speaker}: ${speakerTerm}</code>:讲话人姓名加冒号,效果相同\n` +
      `<code>source:${source} ${sourceTerm}</code> 或 <code>来源:${source} …</code>:只看某份文件(文件名开头或标题中的词)\n\n` +
      `<b>命令</b>\n${commandLines(commands)}\n\n` +
      (surface === 'telegram'
        ? '每条结果下有「上下文」按钮显示前后段落,「更多结果」翻页。'
        : '回答之后,直接按回车或输入 more 看下一页;/context 2 显示第 2 条引文的前后段落。')
    );
  },
  askUsage: (examples: CorpusExamples) => `请在 /ask 后面写上问题,例如:/ask ${examples.term}`,
  emptyQuestion: (examples: CorpusExamples) => `请写几个词再问,例如「${examples.term}」。`,
  noWords: '这个问题里没有可搜索的词(只有标点、符号或表情)。请用中文或英文写几个词。',
  truncatedNote: (max: number, searched: number) => `问题超过 ${max} 个字符,只按前 ${searched} 个字符搜索(在句子或词语结束处截断)。`,
  searchedNote: (terms: string[]) => `搜索:${terms.join(' ')}`,
  partialNote: (missing: string[], found: string[]) =>
    `没有找到直接提到${missing.map((t) => `“${t}”`).join('、')}的段落${found.length > 0 ? `;以下段落谈到${found.map((t) => `“${t}”`).join('、')}` : ''}。`,
  fragmentNote: (fragments: Fragment[]) =>
    `此段只含${fragments.map((f) => `${f.parts.map((p) => `“${p}”`).join('、')}(“${f.of}”的一部分)`).join(';')},不一定谈到问题所指。`,
  questionLabel: '问:',
  /** How a filter is echoed above an answer: 讲话人:王某 · 养老. */
  filterLabels: { speaker: '讲话人:', source: '来源:' },
  resultRange: (from: number, to: number, total: number) => `第 ${from}–${to} 条,共 ${total} 条相关原文`,
  notFound: (speakers: string[], sources: string[]) =>
    '没有在语料中找到能回答这个问题的原文。\n' +
    '可以换个说法、用更具体的词,或按讲话人、文件筛选(见 /help)。\n' +
    `讲话人举例:${speakers.join('、')}\n文件举例:${sources.join(';')}`,
  unknownSpeaker: (name: string, known: string[], total: number) =>
    `语料中没有名为「${name}」的讲话人。讲话人有:${known.join('、')}${total > known.length ? ` 等 ${total} 位(/speakers 列出全部)` : ''}。`,
  unknownSource: (name: string, known: string[], total: number) =>
    `没有与「${name}」匹配的文件。文件有:${known.join(';')}${total > known.length ? ` 等 ${total} 份(/sources 列出全部)` : ''}。`,
  timelineUsage: (examples: CorpusExamples) => `请在 /timeline 后面写上话题,例如:/timeline ${examples.term}`,
  speakerUsage: (examples: CorpusExamples) => `请在 /speaker 后面写上讲话人姓名,例如:/speaker ${examples.speaker?.name ?? '姓名'}(/speakers 列出全部)`,
  compareUsage: (first: string, second: string, term: string) =>
    `请写上两位讲话人(或两份文件)和话题,例如:/compare ${first} ${second} ${term}` +
    '。姓名或文件名中有空格时请加引号。',
  timelineNone: '语料中没有用到这些词的原文。可以换个说法或用更短的词。',
  timelineSummary: (total: number, granularity: 'year' | 'month', undated: number, capped: boolean) =>
    `${total} 段原文${capped ? '(只取最相关的段落;话题更具体或加上筛选可看全部)' : ''}` +
    (undated === total
      ? ',所在文件都没有日期(可在文件旁的 .meta.json 中写上 "date"):'
      : `,按${granularity === 'year' ? '年' : '月'}统计${undated > 0 ? `;其中 ${undated} 段所在文件没有日期,列在最后` : ''}:`),
  unknownName: (asked: string, candidates: string[]) => `语料中没有名为「${asked}」的讲话人。最接近的有:${candidates.join('、')}(/speakers 列出全部)。`,
  ambiguousName: (asked: string, candidates: string[]) => `「${asked}」可以指几位讲话人:${candidates.join('、')}。请写全名。`,
  profileLabels: { roles: '职务:', terms: '比整个语料更常谈:', quotes: '代表性原文' },
  profileRole: (role: string, dates: string, passages: number) => `${role}(${dates},${passages} 段)`,
  roleUnknown: '职务不详',
  profileCounts: (passages: number, documents: number, dates: string) => `${passages} 段原文,${documents} 份文件,${dates}`,
  andMore: (n: number) => `…另有 ${n} 份`,
  askWithinButton: (term: string) => `问:${term}`,
  compareCount: (label: string, n: number) => `${label}:${n} 段`,
  compareSilent: (label: string, first: boolean) => (first ? `${label}:没有谈到这个话题的原文。` : `${label}:没有更多原文了。`),
  unsigned: '未署名',
  /** How an attribution was made, after the speaker's name; a label in the text needs no note. */
  attribution: {
    label: '', byline: '(据署名)', 'header-list': '(据发布会名单)', reported: '(据报道转述)',
    continuation: '(据上文转述)', title: '(据标题)', lead: '(据导语)', meta: '(据补充信息)',
  },
  asked: '(提问)',
  dateUnknown: '日期不详',
  moreButton: '更多结果',
  contextButton: (n: number) => `上下文 ${n}`,
  contextTitle: '上下文(▶ 标出所引段落)',
  expired: '这个回答已过期(索引可能已更新),请重新提问。',
  speakersHtml: (page: number, pages: number) => `<b>讲话人</b>(第 ${page}/${pages} 页,括号内为段落数)`,
  paragraphsCount: (n: number) => `${n} 段`,
  previousPage: '上一页',
  nextPage: '下一页',
  sourcesTitleHtml: '<b>文件</b>',
  sourceSummary: (sections: number, paragraphs: number) => `${sections} 篇,${paragraphs} 段`,
  aboutHtml: (model: string | null, builtAt: string, counts: CorpusCounts) =>
    `<b>索引</b>\n建立时间:${escapeHtml(builtAt)}\n` +
    `检索:${model ? `全文 + 向量(模型 ${escapeHtml(model)})` : '仅全文检索(没有向量模型)'}\n` +
    `${counts.documents} 份文件,${counts.sections} 篇讲话或发言,${counts.paragraphs} 段,${counts.speakers} 位讲话人`,
  calibrationHtml: (c: Calibration) =>
    `向量校准:伪问题找回原段 ${Math.round(c.recallAt5 * 100)}%(前 5),融合权重 ${c.fusionWeight},` +
    `相似度 ≥ ${c.evidenceThreshold} 算作证据`,
  unsupportedMessage: '我只看得懂文字问题。请用文字提问,或发 /help 查看用法。',
  unknownCommand: '没有这个命令。发 /help 查看用法。',
  queueFull: (waiting: number) => `这个问题没有受理:本对话已有 ${waiting} 个问题在排队等待回答。请等前面的回答到了再问。`,
  sorry: '抱歉,处理时出了错。请稍后再试。',
  inlineHint: '输入问题,查找讲话原文',
  consoleNoToken:
    '未设置 TELEGRAM_BOT_TOKEN,现在是命令行对话。要运行 Telegram 机器人,请向 @BotFather 申请 token,' +
    '然后在 .env 或环境变量中设置 TELEGRAM_BOT_TOKEN=123456:ABC…,再运行 npm start。\n每行一个问题,Ctrl+D 退出。',
  consolePrompt: '问题> ',
  /** Commands only the console has: on Telegram these are buttons, or the app itself. */
  consoleCommands: {
    more: '下一页(也可以直接按回车或输入 more)',
    context: '第 N 条引文的前后段落,例如 /context 2',
    quit: '退出(也可以按 Ctrl+D)',
  },
  consoleMore: (from: number, to: number, total: number) => `回车或 more:第 ${from}–${to} 条(共 ${total} 条)`,
  consoleContext: '/context N:第 N 条引文的前后段落',
  consoleNextPage: (page: number, pages: number) => `回车或 more:第 ${page}/${pages} 页`,
  consoleNothingMore: '没有下一页了。请提问,或输入 /help 查看用法。',
  consoleNoQuote: (n: string) => `上一个回答里没有第 ${n} 条引文。请先提问,再用 /context 加引文编号,例如 /context 1。`,
  consoleExamples: '示例:',
  consoleMoreView: '回车或 more:下一页',
  consoleAskWithin: (questions: string[]) => `在此讲话人的原文中提问,例如:${questions.join(' | ')}`,
};

export type Messages = typeof zh;

const en: Messages = {
  commands: {
    start: 'What this bot does, with example questions',
    help: 'How to ask, and the filter syntax',
    ask: 'Ask a question, e.g. /ask question',
    speakers: 'The speakers in the corpus',
    sources: 'The documents and speeches',
    about: 'Index and model information',
    timeline: 'Passages on a topic in date order, e.g. /timeline topic',
    speaker: 'A speaker’s roles, documents, topics and typical quotes',
    compare: 'Two speakers or documents on one topic, e.g. /compare A B topic',
  },
  startHtml: (counts, surface) =>
    'Hello! I answer questions about Chinese government speeches with verbatim quotes only: ' +
    'each quote names its speaker, their role and its source.\n\n' +
    `Corpus: ${counts.documents} documents, ${counts.sections} speeches or statements, ${counts.paragraphs} paragraphs, ` +
    `${counts.speakers} speakers. The speeches are in Chinese, so questions in Chinese find the most.\n\n` +
    (surface === 'telegram' ? 'Send me a question, or tap an example below.' : 'Type a question and press Enter, e.g. one of these.') +
    ' /help shows the filter syntax.',
  helpHtml: (examples, commands, surface) => {
    const { speaker, speakerTerm, source, sourceTerm } = filterExamplesHtml(examples);
    return (
      '<b>How to ask</b>\n' +
      (surface === 'telegram'
        ? 'In a private chat, just send the question (Chinese or English). In a group, use /ask question, mention me, or reply to my message.\n\n'
        : 'Type the question (Chinese or English) and press Enter. Lines that start with / are commands.\n\n') +
      '<b>Filters</b>\n' +
      `<code>speaker:${speaker} ${speakerTerm}</code> (or <code>讲话人:${speaker} …</code>): one speaker only\n` +
      `<code>${speaker}: ${speakerTerm}</code>: a speaker’s name and a colon does the same\n` +
      `<code>source:${source} ${sourceTerm}</code> (or <code>来源:${source} …</code>): one document only (file name start or a word of its title)\n\n` +
      `<b>Commands</b>\n${commandLines(commands)}\n\n` +
      (surface === 'telegram'
        ? 'Under each answer, “Context” shows the paragraphs around a quote and “More results” shows the next ones.'
        : 'After an answer, press Enter or type more for the next results; /context 2 shows the paragraphs around quote 2.')
    );
  },
  askUsage: (examples) => `Write the question after /ask, e.g. /ask ${examples.term}`,
  emptyQuestion: (examples) => `Type a few words to ask, e.g. "${examples.term}".`,
  noWords: 'This question holds no words to search for (only punctuation, symbols or emoji). Type a few words in Chinese or English.',
  truncatedNote: (max, searched) => `The question was longer than ${max} characters; only its first ${searched} were searched (cut where a sentence or word ends).`,
  searchedNote: (terms) => `Searched: ${terms.join(' ')}`,
  partialNote: (missing, found) =>
    `No passage mentions ${missing.map((t) => `"${t}"`).join(', ')} itself${found.length > 0 ? `; these passages speak of ${found.map((t) => `"${t}"`).join(', ')}` : ''}.`,
  fragmentNote: (fragments) =>
    `This passage has only ${fragments.map((f) => `${f.parts.map((p) => `"${p}"`).join(', ')} (part of "${f.of}")`).join('; ')}: it may not speak of what was asked.`,
  questionLabel: 'Q: ',
  filterLabels: { speaker: 'speaker: ', source: 'source: ' },
  resultRange: (from, to, total) => `Results ${from}–${to} of ${total}`,
  notFound: (speakers, sources) =>
    'I found no passage in the corpus that answers this.\n' +
    'Try other words, something more specific, or filter by speaker or document (see /help). ' +
    'The speeches are in Chinese, so Chinese questions find the most.\n' +
    `Speakers include: ${speakers.join(', ')}\nDocuments include: ${sources.join('; ')}`,
  unknownSpeaker: (name, known, total) =>
    `No speaker named "${name}" in the corpus. Speakers: ${known.join(', ')}${total > known.length ? ` and ${total - known.length} more (see /speakers)` : ''}.`,
  unknownSource: (name, known, total) =>
    `No document matches "${name}". Documents: ${known.join('; ')}${total > known.length ? ` and ${total - known.length} more (see /sources)` : ''}.`,
  timelineUsage: (examples) => `Write a topic after /timeline, e.g. /timeline ${examples.term}`,
  speakerUsage: (examples) => `Write a speaker’s name after /speaker, e.g. /speaker ${examples.speaker?.name ?? 'NAME'} (/speakers lists them all)`,
  compareUsage: (first, second, term) =>
    `Write two speakers (or documents) and a topic, e.g. /compare ${first} ${second} ${term}. ` +
    'Put a name or file name with spaces in quotes.',
  timelineNone: 'No passage of the corpus uses these words. Try other or shorter words.',
  timelineSummary: (total, granularity, undated, capped) =>
    `${total} passage${total === 1 ? '' : 's'}${capped ? ' (the best matches only: a narrower topic or a filter shows all)' : ''}` +
    (undated === total
      ? '; none of their documents has a date (give one with "date" in a .meta.json file beside it):'
      : `, counted per ${granularity}${undated > 0 ? `; ${undated} of them from documents without a date, listed last` : ''}:`),
  unknownName: (asked, candidates) => `No speaker named "${asked}" in the corpus. The closest: ${candidates.join(', ')} (/speakers lists them all).`,
  ambiguousName: (asked, candidates) => `"${asked}" could be several speakers: ${candidates.join(', ')}. Please write the full name.`,
  profileLabels: { roles: 'Roles: ', terms: 'Speaks more than the corpus of: ', quotes: 'Representative quotes' },
  profileRole: (role, dates, passages) => `${role} (${dates}, ${passages} passages)`,
  roleUnknown: 'role unknown',
  profileCounts: (passages, documents, dates) => `${passages} passage${passages === 1 ? '' : 's'} in ${documents} document${documents === 1 ? '' : 's'}, ${dates}`,
  andMore: (n) => `… and ${n} more`,
  askWithinButton: (term) => `Ask: ${term}`,
  compareCount: (label, n) => `${label}: ${n} passage${n === 1 ? '' : 's'}`,
  compareSilent: (label, first) => (first ? `${label}: no passage on this topic.` : `${label}: no more passages.`),
  unsigned: 'unsigned',
  attribution: {
    label: '', byline: '(from the byline)', 'header-list': '(inferred from the list of speakers)',
    reported: '(as reported)', continuation: '(as reported above)', title: '(named in the title)',
    lead: '(named in the lead)', meta: '(from the meta file)',
  },
  asked: '(question)',
  dateUnknown: 'date unknown',
  moreButton: 'More results',
  contextButton: (n) => `Context ${n}`,
  contextTitle: 'Context (▶ marks the quoted paragraph)',
  expired: 'This answer has expired (the index may have been updated). Please ask again.',
  speakersHtml: (page, pages) => `<b>Speakers</b> (page ${page}/${pages}, paragraphs in brackets)`,
  paragraphsCount: (n) => `${n} paragraph${n === 1 ? '' : 's'}`,
  previousPage: 'Previous',
  nextPage: 'Next',
  sourcesTitleHtml: '<b>Documents</b>',
  sourceSummary: (sections, paragraphs) => `${sections} sections, ${paragraphs} paragraphs`,
  aboutHtml: (model, builtAt, counts) =>
    `<b>Index</b>\nBuilt: ${escapeHtml(builtAt)}\n` +
    `Search: ${model ? `full-text + vectors (model ${escapeHtml(model)})` : 'full-text only (no vector model)'}\n` +
    `${counts.documents} documents, ${counts.sections} speeches or statements, ${counts.paragraphs} paragraphs, ${counts.speakers} speakers`,
  calibrationHtml: (c) =>
    `Vector calibration: pseudo-questions find their source in the top 5 ${Math.round(c.recallAt5 * 100)}% of the time; ` +
    `fusion weight ${c.fusionWeight}; similarity ≥ ${c.evidenceThreshold} counts as evidence`,
  unsupportedMessage: 'I can only read text questions. Please type your question, or send /help.',
  unknownCommand: 'There is no such command. Send /help to see what I can do.',
  queueFull: (waiting) => `This question was not taken: ${waiting} questions of this chat are already waiting for their answers. Please ask again once they have arrived.`,
  sorry: 'Sorry, something went wrong. Please try again later.',
  inlineHint: 'Type a question to find quotes',
  consoleNoToken:
    'TELEGRAM_BOT_TOKEN is not set, so this is a console chat instead of the Telegram bot. To run the bot, ' +
    'get a token from @BotFather, set TELEGRAM_BOT_TOKEN=123456:ABC… in .env or the environment, and run npm start again.\n' +
    'One question per line; Ctrl+D quits.',
  consolePrompt: 'question> ',
  consoleCommands: {
    more: 'the next results (or just press Enter, or type more)',
    context: 'the paragraphs around quote N, e.g. /context 2',
    quit: 'leave (or press Ctrl+D)',
  },
  consoleMore: (from, to, total) => `Enter or more: results ${from}–${to} of ${total}`,
  consoleContext: '/context N: the paragraphs around quote N',
  consoleNextPage: (page, pages) => `Enter or more: page ${page}/${pages}`,
  consoleNothingMore: 'There is nothing more to show. Ask a question, or type /help.',
  consoleNoQuote: (n) => `The last answer has no quote ${n}. Ask a question first, then /context with a quote's number, e.g. /context 1.`,
  consoleExamples: 'Examples:',
  consoleMoreView: 'Enter or more: the next page',
  consoleAskWithin: (questions) => `Ask within this speaker’s passages, e.g.: ${questions.join(' | ')}`,
};

const messages: Record<Language, Messages> = { zh, en };

export function messagesFor(language: Language): Messages {
  return messages[language];
}
