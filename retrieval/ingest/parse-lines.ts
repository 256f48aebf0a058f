/**
 * First parsing step: text → clean lines. Removes what a reader skips (site
 * furniture, spam, continuation marks, Markdown heading marks, indentation)
 * and remembers the layout cues later steps need (blank lines,
 * whitespace-only separator lines). Each line carries its shadow (shadow.ts):
 * the folded form every later rule matches, computed once.
 */
import { shadowOf } from './shadow.js';

export interface Line {
  /** Verbatim, trimmed. */
  text: string;
  /** `text` folded for matching (half-width, simplified), as long as `text`. */
  norm: string;
  /** 1-based line number in the file, for warnings and debugging. */
  number: number;
  /** Empty lines between this line and the previous kept line. */
  blanksBefore: number;
  /** A line of only (non-breaking) spaces, or a rule (`*****`, `———`), came before: pages use them to set headings apart. */
  separatorBefore: boolean;
  /** The line was indented (`　　`, two spaces, a tab), as Chinese typesetting marks where a paragraph starts. */
  indented: boolean;
}

/** A paragraph indent: full-width spaces, two or more spaces, a tab (no-break spaces count as spaces). */
const INDENT = /^(?:\u3000|[ \u00a0]{2}|\t)/;

/** Whole lines that are page furniture or spam, never content. */
const NOISE_LINE =
  /^(跳(?:到|至|转|轉)(?:主要)?(?:内|內)容$|(?:相关|相關|延伸|推荐|推薦)(?:阅读|閱讀|新闻|新聞|链接|鏈接)[:：]?$|扫一扫在手机上查看当前页面|文章代写[:：]|上一篇[:：]|下一篇[:：]|最新动态推荐内容|返回顶部|打印本页|关闭窗口|【?字号[:：])/;

/** Newspaper continuation marks such as (上接第一版) or (下转第二版), at either end of a line. */
const CONTINUATION_MARK = /^[(（](?:上接|下转)第?[一二三四五六七八九十\d]+版[)）]|[(（](?:上接|下转)第?[一二三四五六七八九十\d]+版[)）]$/g;

/** Characters that count as white space at the ends of a line, including full-width and no-break spaces. */
const EDGE_SPACE = /^[\s\u3000\u00a0\ufeff]+|[\s\u3000\u00a0\ufeff]+$/g;

const HAS_CONTENT = /[\p{L}\p{N}]/u;
/** A rule drawn with symbols: `*****` under a title, `———` between sections. */
const RULE_LINE = /^[*＊=＝\-－_＿~～—─·•.]{3,}$/;

/** `# 标题`, `## 一、…`: pages exported as Markdown mark headings this way; the marks are formatting, not words. */
const MARKDOWN_HEADING_MARK = /^#{1,6}[ \t]+/;

function trimLine(raw: string): string {
  return raw.replace(EDGE_SPACE, '');
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let blanks = 0;
  let separator = false;
  text
    .replace(/^\ufeff/, '')
    .split(/\r\n|\r|\n/)
    .forEach((raw, index) => {
      const trimmed = trimLine(raw);
      if (trimmed === '') {
        if (raw === '') blanks++;
        else separator = true;
        return;
      }
      const text = trimLine(trimmed.replace(CONTINUATION_MARK, '').replace(MARKDOWN_HEADING_MARK, ''));
      if (RULE_LINE.test(text)) {
        separator = true;
        return;
      }
      if (NOISE_LINE.test(text) || !HAS_CONTENT.test(text)) return;
      lines.push({ text, norm: shadowOf(text), number: index + 1, blanksBefore: blanks, separatorBefore: separator, indented: INDENT.test(raw) });
      blanks = 0;
      separator = false;
    });
  return lines;
}
