// Text clean-up before anything else looks at a message (nlp.md §2). Order matters: thousands separators are
// merged before NFKC so that a Chinese comma (，→ , under NFKC) is never read as one.
import { parseNumeral } from "./numerals.ts";

const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/g;
/** 1,200 and 12,345,678 written with ASCII commas; a comma followed by other than exactly three digits is a list. */
const THOUSANDS = /(?<![\d.])(\d{1,3})((?:,\d{3})+)(?![\d])/g;
const KEYCAP = /([0-9#*])\uFE0F?\u20E3/g;
const KEYCAP_BULLET = /(?<![0-9#*]\uFE0F?\u20E3|[\u4e00-\u9fa5])[0-9]\uFE0F?\u20E3(?![0-9#*]\uFE0F?\u20E3)\s*(?=[\u4e00-\u9fa5])(?![人次册本场个位名件元万千百])/gu;
const CIRCLED = /[\u2460-\u249B\u24EA-\u24FF\u2776-\u2793]/g;
const PICTOGRAPH = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}]/gu;
const INVISIBLE = /[\uFE0F\u200B-\u200D\u2060\uFEFF]/g;
/** WeCom puts a space or U+2005 after a mention; some clients glue the mention to the text. */
const LEADING_MENTION = /^(?:\s*@[^\s\u2005@]{1,24}[\s\u2005]+)+/;
const GLUED_BOT_MENTION = /@[^\s\u2005@]{0,12}?(?:机器人|助手|小助理|bot|Bot|BOT)/g;
const TRAILING_MENTION = /[\s\u2005]+@[^\s\u2005@]{1,24}\s*$/;

/** Traditional forms of the domain's characters (copy-paste, misconfigured IMEs). */
const TRADITIONAL: Record<string, string> = {
  館: "馆", 進: "进", 聽: "听", 衆: "众", 眾: "众", 參觀: "参观", 數: "数", 冊: "册", 萬: "万", 兩: "两", 個: "个", 書: "书", 證: "证", 還: "还", 閱: "阅", 參: "参",
  與: "与", 場: "场", 講: "讲", 覽: "览", 會: "会", 這: "这", 週: "周", 禮: "礼", 拜: "拜", 貳: "贰", 億: "亿",
  圖: "图", 借: "借", 辦: "办", 讀: "读", 動: "动", 訪: "访", 問: "问", 計: "计", 劃: "划", 幾: "几", 號: "号",
  歲: "岁", 層: "层", 樓: "楼", 點: "点", 來: "来", 們: "们", 總: "总", 紀: "纪", 錄: "录", 種: "种", 項: "项",
  條: "条", 張: "张", 贈: "赠", 錢: "钱", 塊: "块", 並: "并", 請: "请", 東: "东", 西: "西", 兒: "儿", 親: "亲",
  畫: "画", 體: "体", 驗: "验", 賽: "赛", 傳: "传", 統: "统", 時: "时", 間: "间", 後: "后", 處: "处", 寫: "写",
  誤: "误", 錯: "错", 應: "应", 為: "为", 撤: "撤", 銷: "销", 歡: "欢", 迎: "迎", 報: "报", 名: "名", 額: "额",
  約: "约", 餘: "余", 多: "多", 續: "续", 費: "费", 電: "电", 腦: "脑", 網: "网", 點擊: "点击", 屆: "届", 學: "学",
  習: "习", 課: "课", 務: "务", 誌: "志", 願: "愿", 員: "员", 團: "团", 隊: "队", 獎: "奖", 級: "级", 區: "区",
  縣: "县", 簡: "简", 發: "发", 載: "载", 轉: "转", 換: "换", 漂: "漂", 採: "采", 購: "购", 編: "编", 註: "注",
  冊次: "册次", 齡: "龄", 華: "华", 鎮: "镇", 長: "长", 寶: "宝", 藝: "艺", 術: "术", 舉: "举", 辦理: "办理",
};

/** IME slips seen in staff groups, only where they cannot be ordinary words. */
const TYPOS: Array<[RegExp, string]> = [
  [/到官/g, "到馆"],
  [/借悦|借越/g, "借阅"],
  [/办正|半证/g, "办证"],
  [/册刺/g, "册次"],
  [/(\d)\s*仁次/g, "$1人次"],
  [/(\d)\s*仁/g, "$1人"],
  [/(\d)\s*ren(?![a-z])/gi, "$1人"],
  [/(\d)\s*ben(?![a-z])/gi, "$1本"],
  [/(\d)[wW](?![a-zA-Z])/g, "$1万"],
  [/(\d)[kK](?![a-zA-Z])/g, "$1千"],
];

export function normalizeMessage(raw: string): string {
  let text = raw.replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  text = text.replace(THOUSANDS, (_m, head: string, tail: string) => head + tail.replace(/,/g, ""));
  // 1️⃣到馆 235 2️⃣借阅 187: a single keycap before words is a list bullet; keycaps before a unit or after an
  // alias are digits (到馆3️⃣5️⃣人).
  text = text.replace(KEYCAP_BULLET, "\n").replace(KEYCAP, "$1");
  // ① ⑴ ⒈ are list numbering; NFKC would turn them into plain digits (①到馆198 → 1到馆198).
  text = text.replace(CIRCLED, "\n");
  text = text.normalize("NFKC");
  text = text.replace(LEADING_MENTION, "").replace(TRAILING_MENTION, "").replace(GLUED_BOT_MENTION, " ");
  // An emoji is a clause break (✅ lists), except right before a number, where it only decorates the phrase
  // (故事会🎈2场).
  text = text.replace(/(?:[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}]\s*)+(?=[\d一二两三四五六七八九十])/gu, " ")
    .replace(PICTOGRAPH, ",").replace(INVISIBLE, "");
  text = [...text].map((c) => TRADITIONAL[c] ?? c).join("");
  for (const [pattern, replacement] of TYPOS) text = text.replace(pattern, replacement);
  text = text.replace(/\r\n?/g, "\n").replace(/[ \t\u2005\u00A0\u3000]+/g, " ");
  // 今天没有办证的 / 没人来借书: an explicit zero (nlp.md §3.5) for the desk counts staff say that way.
  text = text.replace(/(?:没有|没人|无人|无)人?(?:来)?新?(办证|借书|还书|续借|咨询|到馆|进馆|借阅)的?(?=\s*(?:$|\n|[，,。;；!！]))/g, "$1 0");
  // 到馆｜1,236人次: in a pasted table a column bar between a label and its figure joins them like a colon.
  text = text.replace(/([\u4e00-\u9fa5])\s*[|｜]\s*(?=[\d一二三四五六七八九十两])/g, "$1：");
  // 自助机58本+人工30本: a sum written out is its total (nlp.md §3.5); 300+ alone stays "more than 300".
  text = text.replace(/(\d+)\s*(本|册|人|次|册次|人次)?\s*\+\s*([\u4e00-\u9fa5]{0,4}?)\s*(\d+)\s*(本|册|人|次|册次|人次)?/g,
    (whole, a: string, unitA: string | undefined, _label: string, b: string, unitB: string | undefined) =>
      unitA && unitB && unitA !== unitB ? whole : `${Number(a) + Number(b)}${unitA ?? unitB ?? ""}`);
  // 满意率百分之九十六: a percentage written out.
  text = text.replace(/百分之([零〇一二两三四五六七八九十百点.\d]+)/g, (whole, digits: string) => {
    const [head, tail] = digits.replace("点", ".").split(".");
    const value = parseNumeral(head ?? "");
    if (value?.kind !== "exact") return whole;
    const decimals = tail ? [...tail].map((c) => "零一二三四五六七八九".indexOf(c) >= 0 ? String("零一二三四五六七八九".indexOf(c)) : c).join("") : "";
    return `${value.value}${decimals ? `.${decimals}` : ""}%`;
  });
  // 借还各50本: one figure for each of loans and returns.
  text = text.replace(/借还(?:书)?各\s*([\d一二三四五六七八九十两百千]+)\s*(本|册|册次)/g, "借阅$1$2，还书$1$2");
  // 办了四张证 (voice input): the figure sits inside 办证.
  text = text.replace(/办了?([\d一二三四五六七八九十两百]+)(张|个)(?:借书|读者|借阅)?证/g, "办证$1$2");
  // 四、活动：无 in a 日报 is an explicit zero (nlp.md §3.5), not a missing figure.
  text = text.replace(/([:：])\s*(?:无|没有|暂无)(?=\s*(?:$|\n|[，,。;；]))/g, "$10");
  text = text.replace(/ *\n[\n ]*/g, "\n");
  return text.trim();
}
