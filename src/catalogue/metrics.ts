// The metric catalogue as data (shared/docs/metrics.md §2). The parser, the stores and the digests all read it;
// nothing here is code. Aliases are what staff type; a few of the aliases listed in metrics.md are left out on
// purpose because they are ordinary words in chat (服务, 组织, 学习, 工作人员, 展) and would turn chatter into
// records. Single-character aliases (借, 还) only count when a number follows them directly (see the lexicon).
import type { EventTypeDefinition, MetricBehaviour, MetricDefinition } from "../parsing/types.ts";

interface MetricSpec {
  name: string;
  shortName: string;
  section: string;
  behaviour: MetricBehaviour;
  unit: string;
  unitAliases: string[];
  aliases: string[];
  family?: string;
  unitFactors?: Record<string, number>;
  averageOf?: string;
  accumulates?: string;
}

const PERSON_UNITS = ["人", "位", "名", "个人", "人头"];

const SPECS: Record<string, MetricSpec> = {
  // 2.1 读者服务
  visits: {
    name: "到馆人次", shortName: "到馆", section: "reader_services", behaviour: "day_counter",
    unit: "人次", unitAliases: [...PERSON_UNITS, "个"],
    aliases: ["到馆", "入馆", "进馆", "来馆", "到访", "来访", "接待读者", "接待", "读者人次", "到馆读者", "进馆人数", "入馆人数",
      "到馆人数", "客流", "客流量", "人流量", "流通人次", "总流通人次", "总流通", "进馆人次", "到馆人次", "入馆人次", "读者", "来了", "来馆人数", "来馆的", "来馆参观", "到馆参观", "进馆参观", "来看书的", "来看书", "来阅览的"],
  },
  loans: {
    name: "外借册次", shortName: "借阅", section: "reader_services", behaviour: "day_counter", family: "loans",
    unit: "册次", unitAliases: ["册", "本", "本次", "件次", "本书", "册书"],
    aliases: ["流动点借阅", "流通点借阅", "借阅", "外借", "借出", "借书", "借了", "借走", "借阅量", "外借量", "借阅图书", "借出图书", "书刊外借",
      "图书外借", "文献外借", "书刊文献外借", "外借图书", "借", "借阅册次", "外借册次", "流通册次", "借阅册数", "借书册数", "外借册数"],
  },
  loan_persons: {
    name: "外借人次", shortName: "借阅人次", section: "reader_services", behaviour: "day_counter", family: "loans",
    unit: "人次", unitAliases: [...PERSON_UNITS],
    aliases: ["借阅人次", "借书人次", "借书读者", "借阅读者", "外借人次", "借阅人数", "借书人数"],
  },
  returns: {
    name: "还书册次", shortName: "还书", section: "reader_services", behaviour: "day_counter",
    unit: "册次", unitAliases: ["册", "本", "本次", "本书"],
    aliases: ["还书", "归还", "还回", "收回", "还了", "还入", "还", "还书量", "归还图书", "还回图书"],
  },
  renewals: {
    name: "续借册次", shortName: "续借", section: "reader_services", behaviour: "day_counter",
    unit: "册次", unitAliases: ["册", "本", "本次"],
    aliases: ["续借", "续借了"],
  },
  new_cards: {
    name: "新办读者证", shortName: "办证", section: "reader_services", behaviour: "day_counter",
    unit: "个", unitAliases: ["张", "人", "位", "本", "名"],
    aliases: ["办证", "新办证", "新办读者证", "新办借书证", "办理借阅证", "办理读者证", "办理借书证", "新增读者", "新注册读者", "新增注册读者", "新增持证读者",
      "开卡", "注册", "新读者", "现场办证", "新办", "新增读者证", "新读者证", "办卡", "新办卡", "办读者证", "办借书证",
      "新增借书证", "新证", "办理新证", "读者证", "借书证", "借阅证"],
  },
  registered_readers: {
    name: "注册读者总数", shortName: "持证读者", section: "reader_services", behaviour: "stock",
    unit: "人", unitAliases: ["个", "张", "名", "位"],
    aliases: ["注册读者总数", "持证读者", "有效读者证", "有效借书证", "读者总数", "服务读者对象", "读者对象", "注册读者",
      "持证读者数", "注册借阅读者"],
  },
  reference_questions: {
    name: "咨询解答", shortName: "咨询", section: "reader_services", behaviour: "day_counter",
    unit: "次", unitAliases: ["条", "人次", "个", "人"],
    aliases: ["咨询", "解答咨询", "读者咨询", "参考咨询", "检索服务", "代查", "咨询检索", "解答"],
  },
  e_reading_visits: {
    name: "电子阅览室接待人次", shortName: "电子阅览", section: "reader_services", behaviour: "day_counter",
    unit: "人次", unitAliases: [...PERSON_UNITS],
    aliases: ["电子阅览室", "电子阅览", "上机", "公共电子阅览室", "电子阅览室接待", "电子阅览室上机", "电子阅览室到馆"],
  },
  opening_hours_weekly: {
    name: "每周开放时间", shortName: "每周开放", section: "reader_services", behaviour: "stock",
    unit: "小时", unitAliases: ["个小时", "钟头", "h"],
    aliases: ["每周开馆", "每周开放", "开放时长", "每周开放时间"],
  },
  open_days: {
    name: "开馆天数", shortName: "开馆天数", section: "reader_services", behaviour: "additive",
    unit: "天", unitAliases: ["日"],
    aliases: ["开馆天数", "开放天数", "开馆", "开放"],
  },
  visits_daily_avg: {
    name: "日均到馆人次", shortName: "日均到馆", section: "reader_services", behaviour: "derived",
    unit: "人次", unitAliases: [...PERSON_UNITS], averageOf: "visits",
    aliases: ["日均到馆", "日均接待", "平均每天到馆", "日均入馆"],
  },
  reader_satisfaction: {
    name: "读者满意率", shortName: "满意率", section: "reader_services", behaviour: "rate",
    unit: "%", unitAliases: [],
    aliases: ["满意率", "满意度", "读者满意率"],
  },

  // 2.2 馆藏建设
  acquisitions: {
    name: "新增图书册数", shortName: "新增图书", section: "collection", behaviour: "additive", family: "acquisitions",
    unit: "册", unitAliases: ["本", "套"],
    aliases: ["采购", "采购图书", "新购", "购书", "购进", "新增图书", "新书", "入藏", "新增藏量", "上架新书", "到货", "新购图书",
      "采购了图书", "购置图书", "年增图书", "新增藏书", "采购新书", "新书采购", "购买图书", "采购了", "新书上架"],
  },
  acquisitions_titles: {
    name: "新增图书种数", shortName: "新增种数", section: "collection", behaviour: "additive", family: "acquisitions",
    unit: "种", unitAliases: ["种类"],
    aliases: ["新增种数", "入藏种数"],
  },
  ebooks_added: {
    name: "新增电子图书", shortName: "电子图书", section: "collection", behaviour: "additive",
    unit: "册", unitAliases: ["种", "本"],
    aliases: ["电子图书", "电子书", "数字图书", "新增电子图书"],
  },
  periodicals_subscribed: {
    name: "征订报刊", shortName: "征订报刊", section: "collection", behaviour: "stock", family: "periodicals",
    unit: "种", unitAliases: ["份"],
    aliases: ["订报刊", "征订", "订阅期刊", "报刊订阅", "征订报刊", "订阅报刊", "期刊", "报刊", "杂志", "报纸杂志", "订阅报纸杂志", "订阅报纸", "订阅杂志"],
  },
  cataloged: {
    name: "编目加工", shortName: "编目", section: "collection", behaviour: "additive",
    unit: "册", unitAliases: ["本", "种"],
    aliases: ["编目", "分编", "加工", "分编加工", "编目加工", "上架"],
  },
  weeded: {
    name: "剔旧注销", shortName: "剔旧", section: "collection", behaviour: "additive",
    unit: "册", unitAliases: ["本"],
    aliases: ["剔旧", "剔除", "注销", "下架"],
  },
  collection_total: {
    name: "馆藏总量", shortName: "馆藏", section: "collection", behaviour: "stock",
    unit: "册", unitAliases: ["本", "件", "册件"],
    aliases: ["馆藏", "藏书", "总藏量", "现有藏书", "馆藏总量", "馆藏图书", "藏书量"],
  },
  ebooks_total: {
    name: "电子图书藏量", shortName: "电子图书藏量", section: "collection", behaviour: "stock",
    unit: "册", unitAliases: ["种", "本"],
    aliases: ["电子图书总量", "电子图书藏量"], accumulates: "ebooks_added",
  },
  digital_resources_tb: {
    name: "数字资源总量", shortName: "数字资源", section: "collection", behaviour: "stock",
    unit: "TB", unitAliases: ["T", "GB", "G"], unitFactors: { GB: 1 / 1024, G: 1 / 1024 },
    aliases: ["数字资源", "自建资源", "数字资源总量"],
  },

  // 2.3 社会捐赠
  donated_books: {
    name: "接受捐赠图书", shortName: "捐书", section: "donations", behaviour: "additive", family: "donations",
    unit: "册", unitAliases: ["本", "本书", "册书", "套"],
    aliases: ["捐赠图书", "捐书", "受赠", "接受捐赠", "赠书", "爱心捐书", "捐赠", "捐了", "捐", "受赠图书", "接受捐赠图书", "捐来", "捐赠了", "送来",
      "捐赠的图书", "接受捐书", "捐赠书籍", "捐来", "收到捐赠", "收到捐书", "捐的书"],
  },
  donated_periodicals: {
    name: "接受捐赠期刊", shortName: "捐赠期刊", section: "donations", behaviour: "additive", family: "donations",
    unit: "册", unitAliases: ["本", "期"],
    // 期刊 also names subscriptions (种); the unit decides (期刊8234本 is a donation in the seed's 其中 list).
    aliases: ["捐赠期刊", "捐赠杂志", "杂志", "期刊"],
  },
  donated_money: {
    name: "社会捐款", shortName: "捐款", section: "donations", behaviour: "additive", family: "donations",
    unit: "元", unitAliases: ["万元", "块", "块钱"], unitFactors: { 万元: 10000 },
    aliases: ["捐款", "善款", "捐资", "赞助", "社会捐款"],
  },
  donated_items: {
    name: "捐赠物资", shortName: "捐赠物资", section: "donations", behaviour: "additive", family: "donations",
    unit: "件", unitAliases: ["箱"],
    aliases: ["物资", "捐物", "捐赠物资"],
  },
  donation_events: {
    name: "接受捐赠次数", shortName: "捐赠次数", section: "donations", behaviour: "additive", family: "donations",
    unit: "次", unitAliases: ["批", "批次"],
    aliases: ["捐赠次数"],
  },

  // 2.4 阅读推广活动 (events and attendance carry an event_type)
  events: {
    name: "活动场次", shortName: "活动", section: "events", behaviour: "additive", family: "events",
    unit: "场", unitAliases: ["次", "场次", "期", "个", "项", "回", "节", "堂"],
    aliases: ["活动", "场活动", "阅读推广活动", "读书活动"],
  },
  event_attendance: {
    name: "活动参与人次", shortName: "参与", section: "events", behaviour: "additive", family: "events",
    unit: "人次", unitAliases: [...PERSON_UNITS, "个"],
    aliases: ["参与", "参加", "参加人数", "受益", "观众", "参观", "学员", "到场", "听众", "参与人数", "参与人次", "参加人次",
      "活动参与", "参与者", "受众", "参观人次", "读者参与", "现场观众", "参加者", "参与活动", "参加活动"],
  },
  training_hours: {
    name: "培训学时", shortName: "培训学时", section: "events", behaviour: "additive", family: "events",
    unit: "学时", unitAliases: ["课时", "小时", "个学时", "个课时", "个小时"],
    aliases: ["学时", "课时", "培训了"],
  },
  online_participation: {
    name: "线上参与人次", shortName: "线上参与", section: "events", behaviour: "additive",
    unit: "人次", unitAliases: [...PERSON_UNITS, "次"],
    aliases: ["线上", "直播观看", "云参与", "在线参与", "线上参与", "直播", "线上观看", "在线观看"],
  },

  // 2.5 古籍保护与地方文献
  ancient_books_cataloged: {
    name: "古籍普查录入", shortName: "古籍录入", section: "heritage", behaviour: "additive", family: "ancient",
    unit: "件", unitAliases: ["部", "册", "种", "条"],
    aliases: ["古籍录入", "古籍普查", "普查登记", "著录", "录入古籍", "古籍普查录入", "录入"],
  },
  ancient_books_reported: {
    name: "古籍上报", shortName: "古籍上报", section: "heritage", behaviour: "additive", family: "ancient",
    unit: "件", unitAliases: ["部"],
    aliases: ["上报古籍", "古籍上报", "上报", "申报古籍", "古籍申报"],
  },
  ancient_books_listed: {
    name: "入选珍贵古籍名录", shortName: "入选名录", section: "heritage", behaviour: "additive", family: "ancient",
    unit: "件", unitAliases: ["部"],
    aliases: ["入选名录", "进入保护名录", "入选珍贵古籍名录", "入选"],
  },
  local_docs_collected: {
    name: "地方文献征集", shortName: "地方文献", section: "heritage", behaviour: "additive",
    unit: "册", unitAliases: ["件", "种", "份", "本"],
    aliases: ["地方文献", "收集地方文献", "征集地方文献", "地方志", "地方文献征集", "征集到地方文献"],
  },
  ancient_books_promotion: {
    name: "古籍保护宣传活动", shortName: "古籍宣传", section: "heritage", behaviour: "additive",
    unit: "次", unitAliases: ["场"],
    aliases: ["古籍宣传", "古籍保护宣传"],
  },

  // 2.6 流动服务与总分馆
  outreach_books_delivered: {
    name: "送书册数", shortName: "送书", section: "outreach", behaviour: "additive", family: "outreach",
    unit: "册", unitAliases: ["本"],
    aliases: ["送书", "送书下乡", "配送", "下拨", "流动图书馆送书", "爱心图书接力", "送书进校园", "配送图书", "送去", "送了",
      "下拨基层", "农家书屋配送", "送书到"],
  },
  outreach_trips: {
    name: "流动服务次数", shortName: "流动服务", section: "outreach", behaviour: "additive", family: "outreach",
    unit: "次", unitAliases: ["趟", "批", "批次"],
    aliases: ["下乡", "流动车出车", "送书批次", "服务点巡回", "出车", "流动服务"],
  },
  outreach_loans: {
    name: "流动服务点借阅册次", shortName: "流动点借阅", section: "outreach", behaviour: "derived",
    unit: "册次", unitAliases: ["册"],
    // Derived (metrics.md): loans at an outreach branch. Staff's 流动点借阅 is stored as loans with that branch.
    aliases: [],
  },
  service_points: {
    name: "服务点数量", shortName: "服务点", section: "outreach", behaviour: "stock",
    unit: "个", unitAliases: ["家", "处", "所", "座"],
    aliases: ["流动图书馆", "图书流通点", "服务点", "农家书屋", "城市书房", "自助图书馆", "流通点"],
  },

  // 2.7 数字服务与新媒体
  digital_visits: {
    name: "数字资源访问量", shortName: "访问量", section: "digital", behaviour: "additive",
    unit: "次", unitAliases: ["人次"],
    aliases: ["访问量", "点击量", "浏览量", "数字资源访问", "网站访问", "网站访问量", "数字资源访问量", "访问", "登录", "数字图书馆",
      "数字图书馆登录", "数字图书馆访问", "登录量"],
  },
  digital_downloads: {
    name: "数字资源下载量", shortName: "下载量", section: "digital", behaviour: "additive",
    unit: "次", unitAliases: ["篇", "册"],
    aliases: ["下载", "下载量"],
  },
  new_media_posts: {
    name: "新媒体发布", shortName: "推文", section: "digital", behaviour: "additive",
    unit: "篇", unitAliases: ["条", "期"],
    aliases: ["推文", "公众号推送", "发布推文", "视频号", "抖音", "公众号发文", "推送", "发推文", "公众号"],
  },
  new_media_reads: {
    name: "新媒体阅读量", shortName: "阅读量", section: "digital", behaviour: "additive",
    unit: "次", unitAliases: ["人次"],
    aliases: ["阅读量", "播放量", "推文阅读量", "阅读数"],
  },
  followers: {
    name: "新媒体粉丝数", shortName: "粉丝", section: "digital", behaviour: "stock",
    unit: "人", unitAliases: ["个", "名", "位"],
    aliases: ["粉丝", "订阅用户", "粉丝数", "关注人数", "关注"],
  },

  // 2.8 宣传与荣誉
  media_reports: {
    name: "媒体报道", shortName: "报道", section: "publicity", behaviour: "additive",
    unit: "次", unitAliases: ["篇", "条", "则"],
    aliases: ["报道", "电视台报道", "报社", "见报", "上新闻", "宣传报道", "媒体报道", "新闻报道", "刊发", "刊登", "刊载"],
  },
  honors: {
    name: "获得荣誉", shortName: "荣誉", section: "publicity", behaviour: "additive",
    unit: "项", unitAliases: ["个", "次"],
    aliases: ["荣誉", "获奖", "表彰", "获得荣誉", "奖项"],
  },
  bulletins: {
    name: "工作简报", shortName: "简报", section: "publicity", behaviour: "additive",
    unit: "期", unitAliases: ["份"],
    aliases: ["简报", "信息简报", "快报", "工作简报"],
  },
  info_submissions: {
    name: "信息报送", shortName: "信息报送", section: "publicity", behaviour: "additive",
    unit: "条", unitAliases: ["篇"],
    aliases: ["报送信息", "信息采用", "投稿", "信息报送", "单位投稿"],
  },

  // 2.9 志愿服务
  volunteer_attendances: {
    name: "志愿服务人次", shortName: "志愿者", section: "donations", behaviour: "day_counter", family: "volunteers",
    unit: "人次", unitAliases: [...PERSON_UNITS, "个"],
    aliases: ["志愿者", "志愿服务", "红马甲", "小小志愿者", "志愿者服务", "志愿服务人次"],
  },
  volunteer_hours: {
    name: "志愿服务时长", shortName: "志愿时长", section: "donations", behaviour: "additive", family: "volunteers",
    unit: "小时", unitAliases: ["个小时", "h", "钟头"],
    aliases: ["服务时长", "志愿时长", "志愿服务时长", "志愿者服务时长", "志愿者时长", "志愿服务时间", "志愿者服务时间", "工时", "志愿工时",
      "志愿者工时"],
  },
  volunteers_registered: {
    name: "注册志愿者人数", shortName: "注册志愿者", section: "donations", behaviour: "stock",
    unit: "人", unitAliases: ["名", "位", "个"],
    aliases: ["注册志愿者", "志愿者团队", "志愿者队伍"],
  },
  volunteers_recruited: {
    name: "新招募志愿者", shortName: "招募志愿者", section: "donations", behaviour: "additive",
    unit: "人", unitAliases: ["名", "位", "个"],
    aliases: ["新增志愿者", "新招募", "新注册志愿者", "招募", "招募志愿者", "招募了", "新招募志愿者", "招募了志愿者", "新增注册志愿者", "新加入志愿者", "新增志愿者人数"],
  },

  // 2.10 队伍建设
  staff_count: {
    name: "在岗职工人数", shortName: "职工", section: "staff", behaviour: "stock",
    unit: "人", unitAliases: ["名", "位", "个"],
    aliases: ["在编", "在岗", "职工人数", "在岗职工", "在编人员"],
  },
  staff_trainings: {
    name: "职工参加业务培训", shortName: "业务培训", section: "staff", behaviour: "additive", family: "staff_training",
    unit: "人次", unitAliases: ["次", ...PERSON_UNITS],
    aliases: ["业务培训", "职工培训", "参加业务培训", "岗位培训", "参训职工", "职工参训", "参训人员"],
  },
  staff_training_hours: {
    name: "职工培训学时", shortName: "职工学时", section: "staff", behaviour: "additive", family: "staff_training",
    unit: "学时", unitAliases: ["课时", "小时", "个学时", "个课时", "个小时"],
    aliases: ["职工培训学时", "岗位培训学时"],
  },
  papers_published: {
    name: "发表论文", shortName: "论文", section: "staff", behaviour: "additive",
    unit: "篇", unitAliases: [],
    aliases: ["论文", "发表论文", "发表"],
  },

  // 2.11 保障条件
  funding: {
    name: "财政拨款", shortName: "拨款", section: "facilities", behaviour: "stock",
    unit: "万元", unitAliases: ["元"], unitFactors: { 元: 0.0001 },
    aliases: ["拨款", "经费", "财政拨款"],
  },
  acquisition_spend: {
    name: "购书经费", shortName: "购书经费", section: "facilities", behaviour: "additive",
    unit: "元", unitAliases: ["万元", "块"], unitFactors: { 万元: 10000 },
    aliases: ["购书费", "购书经费", "文献购置费"],
  },
  facility_spend: {
    name: "设施改造投入", shortName: "改造投入", section: "facilities", behaviour: "additive",
    unit: "元", unitAliases: ["万元", "块"], unitFactors: { 万元: 10000 },
    aliases: ["出资", "投入", "改造", "维修", "设施改造"],
  },
  building_area: {
    name: "建筑面积", shortName: "面积", section: "facilities", behaviour: "stock",
    unit: "平方米", unitAliases: ["㎡", "平", "平米", "m2"],
    aliases: ["建筑面积", "馆舍面积"],
  },
  reading_seats: {
    name: "阅览座席", shortName: "座席", section: "facilities", behaviour: "stock",
    unit: "个", unitAliases: ["席", "张"],
    aliases: ["座席", "阅览座席", "坐席", "阅览座位"],
  },
};

export const METRICS: readonly MetricDefinition[] = Object.entries(SPECS).map(([key, spec]) => ({ key, ...spec }));

export const EVENT_TYPES: readonly EventTypeDefinition[] = [
  { key: "lecture", name: "讲座", triggers: ["讲座", "讲坛", "大讲堂", "讲堂", "报告会", "宣讲"] },
  { key: "exhibition", name: "展览", triggers: ["展览", "展示", "书展", "图片展", "展览展示", "画展", "照片展", "摄影展", "作品展", "成果展", "艺术展", "图片展览"] },
  { key: "training", name: "培训", triggers: ["培训", "课堂", "公益课", "研讨班", "培训班", "公益培训", "培训课"] },
  { key: "reading_club", name: "读书会", triggers: ["读书会", "共读", "读书分享", "读书沙龙", "读书分享会"] },
  { key: "parent_child", name: "亲子活动", triggers: ["亲子活动", "亲子阅读", "亲子"] },
  { key: "outdoor", name: "户外活动", triggers: ["室外活动", "户外活动"] },
  { key: "calligraphy", name: "书法", triggers: ["书法交流", "书法", "书画"] },
  { key: "storytelling", name: "故事会", triggers: ["故事会", "绘本课堂", "绘本课", "绘本阅读", "讲故事", "绘本故事", "绘本分享"] },
  { key: "film", name: "观影", triggers: ["观影", "电影", "放映"] },
  { key: "competition", name: "比赛", triggers: ["比赛", "竞赛", "征文", "朗诵比赛", "知识竞赛"] },
  { key: "festival", name: "节庆活动", triggers: ["猜灯谜", "我们的节日", "节庆"] },
  { key: "handcraft", name: "手工", triggers: ["手工", "DIY", "diy", "非遗体验", "非遗", "剪纸", "折纸", "扎染", "陶艺"] },
  { key: "science", name: "科普", triggers: ["科普", "实验"] },
  { key: "book_swap", name: "图书漂流", triggers: ["图书漂流", "换书", "旧书互换"] },
  { key: "other", name: "其他活动", triggers: [] },
];
