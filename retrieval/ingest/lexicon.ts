/**
 * The word lists the parser reads, as data in one place. Each is evidence,
 * never the last word: a name the document itself confirms (a name line, a
 * role before it, a label) is a name whatever these lists say, and jieba's
 * part-of-speech tags (person-name.ts) weigh in beside them. All forms are
 * simplified script: rules match the folded shadow of each line (shadow.ts).
 */

/**
 * Single-character surnames: the whole of the Hundred Family Surnames (百家姓), plus surnames frequent today
 * that it lacks (肖, 付, 冼, 覃, 栗 …). A surname alone proves nothing (国, 文, 有 are surnames too); it is one
 * piece of evidence that a string is a name.
 */
export const SURNAMES: ReadonlySet<string> = new Set([
  ...'赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴商牟佘佴伯赏墨哈谯笪年爱阳佟言福',
  ...'肖付覃兰芦麦苟隋丛苑迟邝官南原栗谌粟冼楼盘位仝区海豆朴练漆卿初门敬来普鹿邸辜阿母亓修赫鲜战玉银宾呼揭但尉冶斯檀衣信展智奉植尧闭由',
]);

/** Two-character surnames (百家姓's compound surnames and 拓跋-style ones); a name starting with one is three characters or more. */
export const COMPOUND_SURNAMES: readonly string[] = [
  '万俟', '司马', '上官', '欧阳', '夏侯', '诸葛', '闻人', '东方', '赫连', '皇甫', '尉迟', '公羊', '澹台', '公冶', '宗政', '濮阳',
  '淳于', '单于', '太叔', '申屠', '公孙', '仲孙', '轩辕', '令狐', '钟离', '宇文', '长孙', '慕容', '鲜于', '闾丘', '司徒', '司空',
  '亓官', '司寇', '仉督', '子车', '颛孙', '端木', '巫马', '公西', '漆雕', '乐正', '壤驷', '公良', '拓跋', '夹谷', '宰父', '谷梁',
  '段干', '百里', '东郭', '南门', '呼延', '归海', '羊舌', '微生', '梁丘', '左丘', '东门', '西门', '商牟', '伯赏', '南宫', '第五',
];

/**
 * Verbs that report what someone said, as one broad list (news writing uses many): a paragraph that opens
 * with a person and one of these is that person's. Longer forms come first so that 介绍说 wins over 介绍.
 */
export const REPORTING_VERBS: readonly string[] = [
  '告诉记者', '对记者说', '向记者介绍', '向记者表示', '对记者表示', '在接受采访时表示',
  '介绍说', '解释说', '补充说', '强调说', '表示说', '指出说', '坦言说', '回忆说', '感慨说', '笑着说', '笑称', '直言', '坦言',
  '表示', '指出', '强调', '认为', '相信', '介绍', '提出', '要求', '提醒', '透露', '呼吁', '回应', '谈到', '谈及', '提到', '说到', '说道', '写道',
  '宣布', '建议', '希望', '解释', '说明', '补充', '忆及', '细数', '历数', '坦承', '坦陈', '感慨', '回忆', '分析', '阐述', '重申', '警告', '承认', '表态', '称',
  '说', '讲', '道', '指', '问', '答', '回答', '谈了', '谈', '告诉', '主张', '说过', '披露', '证实', '寄语', '勉励', '号召', '倡议',
  '部署', '总结', '评价', '点评', '致辞', '致词', '发言', '讲话', '作答', '答复', '追问', '反问', '质疑', '批评', '表扬', '肯定',
];

/**
 * Reporting verbs that take the reported words straight on, without punctuation (`王某某认为这是…`); the
 * others report only before a comma or colon (`王某某说，`), since without one they narrate (`回答了记者提问`).
 */
export const CLAUSE_VERBS: ReadonlySet<string> = new Set([
  '表示', '指出', '强调', '认为', '相信', '介绍', '提出', '要求', '提醒', '透露', '呼吁', '回应', '谈到', '谈及', '提到', '宣布', '建议',
  '希望', '解释', '补充', '坦承', '坦陈', '坦言', '直言', '重申', '警告', '承认', '表态', '主张', '披露', '证实', '感慨', '回忆',
]);

/** Words that may stand between a person and the verb reporting them: `王某某还表示`, `他并指出`. */
export const REPORTING_ADVERBS: readonly string[] = [
  '进一步', '特别', '同时', '随后', '接着', '最后', '首先', '再次', '还', '也', '并', '则', '又', '更', '亦', '均', '都', '就此', '对此', '当即',
];

/** Personal pronouns that take up the last named person: `他说，…`, `她还表示，…`. */
export const PERSONAL_PRONOUNS: readonly string[] = ['他', '她'];

/**
 * How a role ends: offices, professions and the people news reports quote. A name after one of these
 * (`副市长王某某`, `研究员王某某`) is vouched for by the role; `市长宣布` is a role and a verb, not a name.
 */
export const ROLE_ENDINGS: readonly string[] = [
  '行政长官', '特首', '发言人', '主持人', '负责人', '人士', '工作者', '新闻官', '代表', '委员', '主任', '主席', '书记', '秘书', '部长', '局长', '处长', '科长',
  '队长', '组长', '厅长', '司长', '署长', '县长', '市长', '省长', '区长', '镇长', '乡长', '村长', '院长', '校长', '所长', '馆长',
  '站长', '会长', '社长', '行长', '董事长', '理事长', '总经理', '经理', '董事', '总裁', '总监', '总师', '总工', '专员', '参事',
  '巡视员', '调研员', '干事', '理事', '主编', '编辑', '记者', '教授', '讲师', '研究员', '院士', '学者', '专家', '律师', '法官',
  '检察官', '警官', '民警', '教师', '老师', '医生', '医师', '护士', '护师', '药师', '工程师', '农民', '工人', '村民', '居民',
  '市民', '党员', '干部', '企业家', '创始人', '志愿者', '总理', '总统', '首相', '大使', '公使', '参赞', '领事', '外长',
  '议员', '议长', '司令员', '司令', '政委', '参谋长', '将军', '主委', '常委', '首席', '顾问', '助理', '秘书长', '团长', '班长',
  '厂长', '矿长', '船长', '机长', '首长', '职工', '员工', '长', '员', '人', '家', '师', '户',
];

/**
 * Words and characters that mark a role as naming an organisation or office (`市委`, `局`, `大学`): a role
 * with one of these identifies a person better than a description like `种业专家`.
 */
export const ORGANISATION_MARKS = /[市县区省委局厅部办府院镇乡村街队组处科所会司站中心集团公司校学署行社台馆团军]|政府|大学|协会|银行|医院/;

/** Forms of address after a surname (`姚大伯`, `王阿姨`, `刘医生`): how a person is called, not their name. */
export const FORMS_OF_ADDRESS: readonly string[] = [
  '大伯', '大爷', '大妈', '大娘', '大叔', '大婶', '大姐', '大哥', '阿姨', '阿婆', '阿公', '奶奶', '爷爷', '伯伯', '叔叔', '婶婶',
  '师傅', '老师', '医生', '先生', '女士', '夫人', '太太', '小姐', '同志', '同学', '老板', '书记', '主任', '局长', '市长', '县长', '总', '老',
];

/**
 * Openings of a speech that carry no content (`同志们：`, `女士们、先生们：`, `各位来宾：`, `同学们，战士们：`);
 * never a speaker. Any list of addressees in 们 ending in a colon (`红卫兵战士们：`); without one, only the usual ones.
 */
export const SALUTATION =
  /^(?:(?:尊敬的|各位|亲爱的)[^。!?]{0,40}|(?:[\u3400-\u9fff]{2,8}们[、,])*[\u3400-\u9fff]{2,8}们[:!]|(?:同志们|朋友们|女士们|先生们|同学们|老师们|代表们|来宾们|嘉宾们)(?:[、,](?:同志们|朋友们|女士们|先生们|同学们|老师们|代表们|来宾们|嘉宾们))*|大家(?:上午|下午|晚上)?好)[:,!。]?$/;

/** Words in a title or lead that say a person speaks in the text below (`王某某在…上的讲话`, `…发表谈话，全文如下`). */
export const SPEECH_NOUNS = /讲话|致辞|致词|演讲|谈话|发言|报告|答记者问|署名文章|贺词|祝词|献词|开幕词|闭幕词/;

/** Words in a title or lead that say a person hosts or answers at the event the text records. */
export const HOSTS_OR_ANSWERS = /主持|答记者问|接受[^,。]{0,10}(?:采访|专访)|回答记者提问/;
