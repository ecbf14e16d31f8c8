export { createHolidayCalendar, type DayInfo, type HolidayCalendar, type HolidayCalendarOptions } from "./holidays.js";
export {
  coverageOver,
  createOpenDays,
  firstWorkdayFrom,
  siteBranches,
  WEEKDAY_NAMES,
  WHOLE_LIBRARY,
  type BranchDay,
  type ClosedReason,
  type ClosureRow,
  type OpenDays,
} from "./open-days.js";
export { loadClosures, loadOpenDays } from "./closures.js";
