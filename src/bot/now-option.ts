// The `--now` option of the commands that talk to the bot (say, chat).
import { zonedInstant } from "../calendar/zoned.js";

/** An instant from --now: ISO-8601; a bare date or a time without a zone is read in the library's timezone
 * (UTC+8 for Asia/Shanghai) so `--now 2026-11-18T17:00` means 17:00 at the library. */
export function parseNowOption(value: string, timezone: string): Date {
  const trimmed = value.trim();
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  if (hasZone) {
    const date = new Date(trimmed);
    if (Number.isNaN(date.getTime())) throw new RangeError(`--now ${value} is not an ISO-8601 time`);
    return date;
  }
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?$/.exec(trimmed);
  if (!match) throw new RangeError(`--now ${value} is not an ISO-8601 time (e.g. 2026-11-18T17:00+08:00)`);
  return zonedInstant(match[1]!, match[2] ?? "12:00", timezone);
}
