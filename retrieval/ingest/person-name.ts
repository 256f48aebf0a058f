/**
 * Whether a string looks like a Chinese person's name: two to four Han
 * characters (or a transliterated name with ·) that begin with a common
 * surname and are not an ordinary word of jieba's dictionary. Speaker rules
 * use it so that `孙中山先生说过` or `会议` never pass for a speaker.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/** The common single-character surnames (the Hundred Family Surnames' most frequent, plus other frequent ones). */
const SURNAMES = new Set(
  [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由'],
);
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '令狐', '夏侯', '端木', '澹台', '轩辕', '南宫', '西门', '呼延'];

const HAN_NAME = /^[\u4e00-\u9fa5]{2,4}$/;
const TRANSLITERATED_NAME = /^[\u4e00-\u9fa5]{1,8}·[\u4e00-\u9fa5·]{1,12}$/;

let jieba: Jieba | null = null;

/** True when jieba reads the whole string as one ordinary dictionary word (not a person's name). */
function isDictionaryWord(text: string): boolean {
  jieba ??= Jieba.withDict(dict);
  const words = jieba.tag(text, false);
  return words.length === 1 && !words[0]!.tag.startsWith('nr') && words[0]!.tag !== 'x';
}

/** Shaped like a name: a common surname, two to four characters in all (or a transliterated name). */
export function hasNameShape(text: string): boolean {
  if (TRANSLITERATED_NAME.test(text)) return true;
  if (!HAN_NAME.test(text)) return false;
  const compound = COMPOUND_SURNAMES.some((surname) => text.startsWith(surname));
  return compound ? text.length >= 3 : SURNAMES.has(text[0]!);
}

/**
 * A name standing without a role to vouch for it: shaped like a name and not an ordinary word
 * (`高峰` after `副市长` is a name; `高峰` alone is more likely a word).
 */
export function isPersonName(text: string): boolean {
  return hasNameShape(text) && (TRANSLITERATED_NAME.test(text) || !isDictionaryWord(text));
}
