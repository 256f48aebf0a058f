/**
 * Metadata lines of web pages and newspapers (`发布时间：2019-10-17 08:55:29`,
 * `2016-12-14 10:31:57　来源：某某网`, `责任编辑：…`, `原标题：…`, photo
 * captions): they fill document fields or are dropped, and are never titles
 * or passages.
 */

export interface MetadataLine {
  date: string | null;
  source: string | null;
}

const FIELD_NAMES = '信息来源|来源|发布时间|发布日期|发稿时间|日期|时间|作者|责任编辑|编辑|审核|校对|记者|通讯员|原标题|摄影|图片来源|浏览次数|点击数|阅读次数|字号';
/** `来源：某某网` up to the next field or the end of the line. */
const FIELD = new RegExp(`(${FIELD_NAMES})[:：][ \\u3000\\u00a0]*(.*?)(?=[ \\u3000\\u00a0]+(?:${FIELD_NAMES})[:：]|[ \\u3000\\u00a0]*$)`, 'g');
/** 2019-10-17, 2019/10/17, 2019.10.17, 2019年10月17日, optionally with a time. */
const DATE = /(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ \u3000\u00a0T]*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?/;
const DATE_ONLY_LINE = new RegExp(`^[(（]?${DATE.source}[)）]?$`);
/** `图为会议现场。（记者 某某 摄）`, `（新华社记者 某某 摄）`, `图片来源：…`, `…参加记者会。美联社` (credited to an agency). */
const PHOTO_CAPTION = /^[^。！？!?]{4,80}。[ \u3000]*(?:[\u4e00-\u9fa5]{1,5}社|[\u4e00-\u9fa5]{2,4}摄)$|^图为|^(?:图|图片)[:：]|[(（][^()（）]{0,30}(?:摄|摄影|图片|供图|照片)[)）]$|^[^。！？!?]{0,30}[ \u3000]摄$|^[^。！？!?]{0,16}(?:记者|摄影|通讯员)[^。！？!?]{0,12}摄(?:影)?$/;
const LEFTOVER = /[\p{L}\p{N}]/u;

export function isoDate(text: string): string | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [, year, month, day] = match;
  const m = Number(month), d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The fields of a metadata line, or null when the line is content. */
export function readMetadataLine(text: string): MetadataLine | null {
  if (text.length > 120) return null;
  if (DATE_ONLY_LINE.test(text)) return { date: isoDate(text), source: null };
  if (PHOTO_CAPTION.test(text) && text.length <= 80) return { date: null, source: null };
  let source: string | null = null;
  let date: string | null = null;
  let fields = 0;
  const rest = text.replace(FIELD, (field: string, name: string, value: string) => {
    // `记者：请问……` is a reporter's question, not a byline: a field's value is short and holds no sentence.
    if (value === '' || value.length > 40 || /[。，,！？!?；;“”]/.test(value)) return field;
    fields++;
    if (/来源/.test(name) && !source && value) source = value;
    if (/时间|日期/.test(name) && !date) date = isoDate(value);
    return ' ';
  });
  if (fields === 0) return null;
  const leftover = rest.replace(DATE, ' ');
  if (LEFTOVER.test(leftover)) return null;
  return { date: date ?? isoDate(text), source };
}

/** A short line that holds a date in a form not read above (e.g. 二〇二一年十月九日): worth a warning. */
export function looksLikeUnreadDate(text: string): boolean {
  return text.length <= 30 && /[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月/.test(text);
}
