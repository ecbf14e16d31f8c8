// Wall-clock times in the library's timezone ↔ instants. Jobs are configured as "09:00 Asia/Shanghai" and `--now
// 2026-11-18T17:00` means 17:00 at the library; the claim in the database is the instant, so two instances in
// different server timezones claim the same row.
import type { IsoDate } from "../parsing/types.js";

/** Minutes the zone is ahead of UTC at `instant`. */
function offsetMinutes(instant: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant that is `time` ('HH:MM' or 'HH:MM:SS') on library day `day` in `timezone`. Two passes settle DST
 * edges. */
export function zonedInstant(day: IsoDate, time: string, timezone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const [hh, mm, ss = 0] = time.split(":").map(Number) as [number, number, number?];
  const wall = Date.UTC(y, m - 1, d, hh, mm, ss);
  let instant = wall - offsetMinutes(new Date(wall), timezone) * 60_000;
  instant = wall - offsetMinutes(new Date(instant), timezone) * 60_000;
  return new Date(instant);
}
