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

/** A date in Chinese numerals, as speeches are dated: `（二〇二一年十月九日）`, `一九九六年一月一日`. */
const CHINESE_DATE = /([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日/;
const CHINESE_DATE_ONLY_LINE = new RegExp(`^[(（]?${CHINESE_DATE.source}[)）]?$`);
const CHINESE_DIGITS = '〇一二三四五六七八九';
/** A date of the Republic of China's calendar, as Taiwan prints it (`109年07月23日`, `民國109年7月23日`): year + 1911. */
const ROC_DATE_ONLY_LINE = /^[(（]?(?:中華民國|中华民国|民國|民国)?(\d{2,3})年(\d{1,2})月(\d{1,2})日[)）]?$/;
const ROC_YEAR_OFFSET = 1911;

/** `十二` → 12, `二十一` → 21, `九` → 9. */
function chineseNumber(text: string): number {
  const digit = (character: string | undefined) => (character === undefined ? 0 : CHINESE_DIGITS.indexOf(character.replace('零', '〇')));
  const ten = text.indexOf('十');
  if (ten < 0) return digit(text);
  return (ten === 0 ? 1 : digit(text[ten - 1])) * 10 + digit(text[ten + 1]);
}

function chineseIsoDate(text: string): string | null {
  const match = CHINESE_DATE.exec(text);
  if (!match) return null;
  const year = [...match[1]!].map((character) => CHINESE_DIGITS.indexOf(character.replace('零', '〇'))).join('');
  return validDate(year, chineseNumber(match[2]!), chineseNumber(match[3]!));
}

function validDate(year: string, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isoDate(text: string): string | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [, year, month, day] = match;
  return validDate(year!, Number(month), Number(day));
}

/** The fields of a metadata line, or null when the line is content. */
export function readMetadataLine(text: string): MetadataLine | null {
  if (text.length > 120) return null;
  if (DATE_ONLY_LINE.test(text)) return { date: isoDate(text), source: null };
  if (CHINESE_DATE_ONLY_LINE.test(text)) return { date: chineseIsoDate(text), source: null };
  const roc = ROC_DATE_ONLY_LINE.exec(text);
  if (roc) return { date: validDate(String(Number(roc[1]) + ROC_YEAR_OFFSET), Number(roc[2]), Number(roc[3])), source: null };
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

/** A date that opens a line (`2021年5月10日外交部发言人某某主持例行记者会`), or null. */
export function openingDate(text: string): string | null {
  const match = DATE.exec(text);
  return match?.index === 0 ? isoDate(text) : null;
}

/** A short line that holds a date in Chinese numerals in a form not read above (not a date line of its own): worth a warning. */
export function looksLikeUnreadDate(text: string): boolean {
  return text.length <= 30 && /[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月/.test(text);
}
