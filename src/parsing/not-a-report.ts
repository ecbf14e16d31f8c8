// What makes a clause's figures something other than this library's report: plans and announcements, hedges and
// pledges, comparisons and habits, figures already reported, balances, other libraries, milestones, chat groups,
// prize winners, money talk. Word lists, kept together so that each new kind of chatter has one place to go.

export const PLAN = /指标|考核|预算|(?:要|需|应|需要)达到|谁有空|谁能|谁方便|帮忙[^，,。;；]{0,14}一下|提前准备|准备一下|做好准备|缺(?=\s*[\d一二三四五六七八九十两])|还在路上|还没到货?|尚未到货|未到货|没到货|(?:年底|年末|月底|月末|周末|节前|下周|下月)前(?!天)|请于|请在[^，,。]{0,12}前|报送内容|填报说明|(?:要|得花|需要?|报价)\s*[\d.,]+\s*万?(?:元|块)|要完成|的任务|任务是|计划|方案|清单|书单|订单|报价|码洋|还有一场|还有一期|待会|稍后|晚点|预计|拟于|拟在|拟|准备|打算|将要|将于|将在|将会|将达|将有|将新增|将开办|即将|届时|欢迎|(?<!志愿者|新增|已经?)报名|预约|(?:已|已经)?安排(?:了)?(?=\s*[\d一二三四五六七八九十两]|好)|目标|争取|力争|下一步|预告|安排在|要办|要搞|会有|期待|邀请|通知|有望|可望|希望|想|能否|需要|急需|缺少|申请|要求/;
export const CAPACITY = /限额|限报|限\d|限[一二三四五六七八九十两百]|限借|限阅|可借|借期|名额|容纳|最多可|最多借|最多能|每证|每人最多|每次最多|每馆|每个馆|每单位|可供|能坐|座位有|控制在|不超过|以内/;
export const PLEDGE = /表示将|表示要|承诺|意向|愿意捐|打算捐|将自己|将把|要捐|准备捐|(?:要|会|想|打算|准备)(?:再|继续|还)捐|(?:要|想|打算|准备|说要)把[^，,。]{0,16}捐|(?:要|想|打算|准备|会|将)给[^，,。]{0,8}捐/;
export const ANNOUNCEMENT = /欢迎|(?<!志愿者|新增|已经?)报名(?!了?\s*[\d一二三四五六七八九十两]|人数|的)|预约|敬请|届时/;
export const HEDGE = /或许|可能|也许|好像|似乎|不确定|记不清|大概是吧/;
/** A comparison or a habit, not what happened: 去年这个时候才一百多人, 平时周末五六百人. */
export const REFERENCE = /(?<![比较跟和与])(?:去年同期|去年这个时候|去年这时候|往年|以往|平时|平常|往常|通常|一般来说|每天都|天天都)/;
/** 上个月报的借阅12680册我核对过了: a figure named as one already reported is a reference to it, not a new report. */
export const ALREADY_REPORTED = /(?:上个?月|上周|昨天|前天|之前|上次|刚才|前面|已经|已)(?:报|上报|填报|报送|发|交)过?的|(?:已经|已)(?:报|上报|报送)过了|报过了|重复报/;
/** 宣传经费还有8000元没用完: what is left of something is a balance, not what happened. */
export const BALANCE = /没用完|未用完|没花完|剩余|剩下|还剩|余额|结余|还有[^，,。]{0,14}(?:没|未|待)|尚未|积压/;
/** 全国公共图书馆总流通人次达12.8亿: figures for the whole country or province are not this library's. */
export const WIDER_SCOPE = /全(?:国|省|世界|球)(?:的|各级|各地|范围内|共|总|累计|[^，,。]{0,6}图书馆)/;
/**
 * 去年11月到馆4.2万人次，看看今年能不能超过: a figure set up as a benchmark to beat. The whole sentence is a
 * comparison, like 去年同期, whichever clause holds the number.
 */
export const BENCHMARK = /(?:能不能|能否|争取|力争|希望|看看|一定要|要)[^。!！?？]{0,8}(?:超过|超越|赶上|追上|突破|持平|打破)/;
/** A hypothetical or a rule: 读者问能不能一次借10本, 每人最多可借5本. */
/** 读者王阿姨今天又来借了5本书: one person's doings are an anecdote, not a desk count (day counters only; 市民王先生捐赠
 * 图书126册 is a donation and stays). */
export const ANECDOTE = /(?:那个|这个|有个|一个)[^，,。;；]{0,14}的(?:小朋友|读者|孩子|大爷|阿姨|老人|学生|家长)|检查组|调研组|考察团|参观团|代表团|督导组|验收组|一行\s*[\d一二三四五六七八九十]+\s*人|(?:[\u4e00-\u9fa5](?:阿姨|大爷|大妈|叔叔|奶奶|爷爷|大姐|大哥|师傅|先生|女士)|(?:一位|一个|有位|有个|某位|这位|那位)(?:读者|市民|老人|家长|大爷|阿姨|小朋友))/;
export const PLAN_HEADING = /(?:目标|计划|任务|指标|安排|方案|打算|预算|设想|公告|提醒|注意事项|格式|示例|例如|比如|模板|样例|规则|须知)[^，,。:：]{0,6}[:：]\s*/;
/** 初步计划12月办讲座4场，预计参与500人次，经费控制在8000元以内: a sentence that opens with a plan is one throughout. */
/** 今年区里给的目标是全年到馆30万人次，办证5000张: a target stated runs to the end of its sentence. */
export const TARGET_OPENING = /(?:目标|任务|指标|计划)(?:是|为|定为|定在)/;
export const PLAN_OPENING = /^\s*(?:初步|我们|我馆|今年|明年|今天|今日|明天|下周|下个月|年底前|月底前)?\s*(?:计划|预计|打算|准备|拟|将要|争取)/;
/** What actually happened, after a plan: 结果来了63人, 目前已经上了8个学时, 实际到场52人. */
export const ACTUAL = /^\s*(?:结果|实际|实到|最终|最后|目前已|现已|已经|截至目前|截止目前|(?:今天|昨天|本周|这周|本月|这个月|上周)[^，,。;；\d]{0,3}了)/;
/** A clause that tells what happened (来了42人, 参加了, 已完成). */
export const HAPPENED = /(?:来了|到了|参加了|参与了|办了|举办了|开展了|借出了?|完成了?|已经|共有|今天|昨天|今日|上午|下午)/;
/** 听说隔壁区图书馆上个月办了40场活动: another library's figures, heard about. */
export const HEARSAY = /听说|据说|听人说|那边说|加把劲|向[^，,。;；]{1,6}学习|[局厅委办]通报|通报[:：]|据[^，,。]{0,8}统计|隔壁|(?<!老)人家|兄弟馆|兄弟单位|别的馆|其他馆|(?<!另)外馆(?!员)|别人家|同行(?=说|讲|那边|们说|的馆)|省图|市图|国图|(?:他们|她们)(?:馆|那边|那里|单位)/;
/** 市馆去年到馆80多万人次: a library above or beside ours, unless the directory lists it as a branch. */
export const OTHER_LIBRARY = /[市省区县](?:馆|图书馆|图)/g;
/** 初稿里写的是38.6万，跟系统里的38.2万对不上: figures quoted to be checked against each other are not a report. */
export const DISCREPANCY = /对不上|不一致|不相符|不吻合|有出入|核一下|核对一下|帮忙核|核实一下|差得远|比不上|比不了/;
/** 国庆期间各馆累计到馆突破两万人次，比去年同期增长18%: the network's sum, told as good news, restates the branches'
 * own reports. */
export const BRANCHES_SUMMED = /各(?:分)?馆(?:累计|合计|共计|一共|总共|加起来)[^。!！]{0,16}(?:突破|超过|达到|增长|同比)/;
/** 志愿者小刘今天服务满100小时了: a milestone of a running total, not what happened today. */
export const MILESTONE = /满\s*[\d一二三四五六七八九十两百千万]/;
/** 读书会群里已经有218人了: the members of a chat group are not attendance. */
export const MEMBERSHIP = /群里|群内|群成员|本群|进群|入群|加群|群人数|读者群(?!体)|粉丝群|家长群/;
/** 一等奖3名: prize winners are not people who came. */
export const PRIZES = /[一二三四五六特]等奖|优秀奖|鼓励奖|获奖者|获奖名单|奖金|奖品|评出|选出|入围|进入决赛|进入复赛|晋级/;
export const HYPOTHETICAL = /能不能|可不可以|能否|是否可以|可以吗|行不行|最多能|最多可|每人可|每次可/;
export const MONEY_TALK = /总额|金额|经费|资金|款|费用|预算|开支|支出|拨款|花了|花费|价格|造价/;
/** 新馆二期建筑面积1.2万平方米，预计明年投用: what is described is not in use yet; the whole sentence is a plan. */
export const NOT_YET_OPEN = /(?:预计|计划|将于|将在|争取|准备|即将).{0,8}(?:投用|投入使用|建成|竣工|完工|落成|启用|开馆|对外开放)/;
