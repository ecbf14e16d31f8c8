// Numerals as staff type them: 35, 1.2万, 3千, 1万2, 三十五, 一百二十, 两千, 一万二, 两百五, 廿五, 二〇二六, and the
// ranges that must never become a single number (两三百, 十几, 几十, 四五十).
// Pure functions over strings; the scanner in tokens.ts decides which runs are values at all.

/** An exact value, or a range when the speaker gave one (两三百 → 200..300). */
export type Numeral = { kind: "exact"; value: number } | { kind: "range"; low: number; high: number };

const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 俩: 2, 三: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };
/** 廿 = 二十, 卅 = 三十: a digit and a 十 in one character. */
const TENS: Record<string, number> = { 廿: 20, 卅: 30 };

/** Characters that can appear inside a numeral run (besides ASCII digits and the decimal point). */
export const CHINESE_NUMERAL_CHARS = "零〇一壹二贰两俩三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿廿卅几";

const ARABIC = /^\d+(?:\.\d+)?/;

/** A pair of bounds; equal bounds mean an exact value. */
type Span = [number, number];

/** Parses a whole string as one numeral, or returns undefined when it is not one. */
export function parseNumeral(text: string): Numeral | undefined {
  if (text.length === 0 || text.length > 40) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return exact(Number(text));
  const digitString = parseDigitString(text);
  if (digitString) return digitString;
  const span = parseStructured(text);
  if (!span) return undefined;
  const [low, high] = span.map(roundValue) as Span;
  return low === high ? exact(low) : { kind: "range", low, high };
}

function exact(value: number): Numeral {
  return { kind: "exact", value: roundValue(value) };
}

/** Removes binary floating-point noise (4.52 × 10000 = 45199.999…) without losing real decimals. */
export function roundValue(value: number): number {
  return Number(value.toPrecision(15));
}

/** 二〇二六, 一九: digits read one by one (years, codes). Two adjacent rising digits are a range (三四 → 3..4). */
function parseDigitString(text: string): Numeral | undefined {
  const chars = [...text];
  if (chars.length < 2 || !chars.every((c) => c in DIGITS)) return undefined;
  const digits = chars.map((c) => DIGITS[c]!);
  if (chars.length === 2 && isAdjacentPair(digits[0]!, digits[1]!)) {
    return { kind: "range", low: digits[0]!, high: digits[1]! };
  }
  if (!chars.some((c) => c === "〇" || c === "零") && chars.length < 3) return undefined;
  return exact(Number(digits.join("")));
}

/** 一两, 两三, 三四 … 八九: how speakers say "two or three". */
function isAdjacentPair(first: number, second: number): boolean {
  return first >= 1 && second === first + 1;
}

interface Accumulator {
  total: Span;
  section: Span;
  pending: Span | undefined;
  /** The multiplier of the last unit seen (十, 百, 千, 万 …), for the colloquial tail 一万二 = 12000. */
  lastUnit: number;
  /** The smallest small unit used in the current section, to reject 十百 and similar. */
  sectionFloor: number;
  afterZero: boolean;
  pendingIsArabic: boolean;
}

function parseStructured(text: string): Span | undefined {
  const acc: Accumulator = {
    total: [0, 0], section: [0, 0], pending: undefined, lastUnit: 1, sectionFloor: Infinity,
    afterZero: false, pendingIsArabic: false,
  };
  let rest = text;
  let sawAnything = false;
  while (rest.length > 0) {
    const arabic = ARABIC.exec(rest);
    if (arabic) {
      if (acc.pending) return undefined;
      acc.pending = [Number(arabic[0]), Number(arabic[0])];
      acc.pendingIsArabic = true;
      rest = rest.slice(arabic[0].length);
      sawAnything = true;
      continue;
    }
    const char = rest[0]!;
    rest = rest.slice(1);
    if (!applyChar(acc, char, sawAnything)) return undefined;
    sawAnything = true;
  }
  return finish(acc);
}

function applyChar(acc: Accumulator, char: string, sawAnything: boolean): boolean {
  if (char in DIGITS) return applyDigit(acc, DIGITS[char]!);
  if (char === "几") {
    if (acc.pending) return false;
    acc.pending = [1, 9];
    acc.pendingIsArabic = false;
    return true;
  }
  if (char in TENS) {
    if (acc.pending || acc.sectionFloor <= 10) return false;
    addTo(acc.section, [TENS[char]!, TENS[char]!]);
    acc.lastUnit = 10;
    acc.sectionFloor = 10;
    return true;
  }
  if (char in SMALL_UNITS) return applySmallUnit(acc, SMALL_UNITS[char]!);
  if (char in BIG_UNITS) {
    // A leading 万 (万一) is a word, not a number.
    if (!sawAnything) return false;
    return applyBigUnit(acc, BIG_UNITS[char]!);
  }
  return false;
}

function applyDigit(acc: Accumulator, digit: number): boolean {
  if (digit === 0) {
    if (acc.pending) return false;
    acc.afterZero = true;
    return true;
  }
  if (acc.pending) {
    const [low, high] = acc.pending;
    // 两三百: two adjacent single digits before a unit make a range.
    if (!acc.pendingIsArabic && low === high && isAdjacentPair(low, digit)) {
      acc.pending = [low, digit];
      return true;
    }
    return false;
  }
  acc.pending = [digit, digit];
  acc.pendingIsArabic = false;
  return true;
}

function applySmallUnit(acc: Accumulator, unit: number): boolean {
  if (unit >= acc.sectionFloor) return false;
  const multiplier: Span = acc.pending ?? [1, 1];
  addTo(acc.section, [multiplier[0] * unit, multiplier[1] * unit]);
  acc.pending = undefined;
  acc.lastUnit = unit;
  acc.sectionFloor = unit;
  acc.afterZero = false;
  return true;
}

function applyBigUnit(acc: Accumulator, unit: number): boolean {
  if (acc.pending) addTo(acc.section, acc.pending);
  acc.pending = undefined;
  const sectionValue: Span = [...acc.section];
  if (sectionValue[1] === 0 && acc.total[1] === 0) return false;
  if (unit === BIG_UNITS["亿"]) {
    acc.total = [(acc.total[0] + sectionValue[0]) * unit, (acc.total[1] + sectionValue[1]) * unit];
  } else {
    if (acc.lastUnit >= unit && acc.section[1] === 0) return false;
    addTo(acc.total, [sectionValue[0] * unit, sectionValue[1] * unit]);
  }
  acc.section = [0, 0];
  acc.lastUnit = unit;
  acc.sectionFloor = Infinity;
  acc.afterZero = false;
  return true;
}

function finish(acc: Accumulator): Span | undefined {
  if (acc.pending) {
    const [low, high] = acc.pending;
    const colloquialTail = acc.lastUnit >= 100 && !acc.afterZero;
    if (colloquialTail) {
      // 一万二 = 12000, 两百五 = 250, 1万2 = 12000: the tail is one order below the last unit.
      if (acc.pendingIsArabic && (low >= 10 || !Number.isInteger(low))) return undefined;
      addTo(acc.section, [(low * acc.lastUnit) / 10, (high * acc.lastUnit) / 10]);
    } else {
      addTo(acc.section, [low, high]);
    }
  }
  const result: Span = [acc.total[0] + acc.section[0], acc.total[1] + acc.section[1]];
  if (!Number.isFinite(result[0]) || !Number.isFinite(result[1])) return undefined;
  return result;
}

function addTo(target: Span, add: Span): void {
  target[0] += add[0];
  target[1] += add[1];
}

/** Full-width digits and the like are already folded by normalize(); this converts a value the other way for
 * messages and tests: 12000 → "1.2万" style is not needed, so only integers to Chinese are provided. */
export function toChineseNumeral(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value >= 1e12) throw new RangeError(`cannot spell ${value}`);
  if (value === 0) return "零";
  const digitNames = "零一二三四五六七八九";
  const spellUnder10k = (n: number): string => {
    const units = ["千", "百", "十", ""];
    const parts = [Math.floor(n / 1000), Math.floor(n / 100) % 10, Math.floor(n / 10) % 10, n % 10];
    let out = "";
    let zero = false;
    parts.forEach((digit, i) => {
      if (digit === 0) {
        zero = out.length > 0;
        return;
      }
      if (zero) out += "零";
      zero = false;
      out += digitNames[digit] + units[i]!;
    });
    return out;
  };
  const groups = [Math.floor(value / 1e8), Math.floor(value / 1e4) % 1e4, value % 1e4];
  const bigNames = ["亿", "万", ""];
  let out = "";
  let needZero = false;
  groups.forEach((group, i) => {
    if (group === 0) {
      needZero = out.length > 0;
      return;
    }
    if (out.length > 0 && (needZero || group < 1000)) out += "零";
    needZero = false;
    out += spellUnder10k(group) + bigNames[i]!;
  });
  // 一十五 is correct but staff write 十五.
  return out.startsWith("一十") ? out.slice(1) : out;
}
