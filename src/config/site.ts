// The library's own settings: one file per site (JSON or YAML), validated once at start.
import { z } from "zod";

const weekday = z.number().int().min(0).max(6).describe("0 = Sunday … 6 = Saturday");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD");
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time written HH:MM");

const branchSchema = z.strictObject({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  /** Regular weekly closing days (e.g. [1] for closed on Mondays). */
  closedWeekdays: z.array(weekday).default([]),
});

const personSchema = z.strictObject({
  userid: z.string().min(1),
  name: z.string().min(1),
  branch: z.string().min(1).optional(),
  role: z.enum(["staff", "manager", "admin"]),
  /** Other branches this person may report for (their own branch is always allowed). */
  reportsFor: z.array(z.string().min(1)).default([]),
});

const customMetricSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be snake_case"),
  name: z.string().min(1),
  shortName: z.string().min(1).optional(),
  aliases: z.array(z.string().min(1)).default([]),
  unit: z.string().min(1),
  unitAliases: z.array(z.string().min(1)).default([]),
  behaviour: z.enum(["day_counter", "additive", "stock", "rate", "derived"]),
  section: z.string().min(1).default("other_work"),
});

export const siteConfigSchema = z
  .strictObject({
    library: z.strictObject({
      name: z.string().min(1),
      timezone: z.string().default("Asia/Shanghai"),
      /** Where records go when neither the message nor the sender names a branch. */
      headBranch: z.string().min(1).default("总馆"),
    }),
    branches: z.array(branchSchema).default([]),
    people: z.array(personSchema).default([]),
    schedule: z
      .strictObject({
        weeklyDigest: z
          .strictObject({ weekday: weekday.default(1), time: hhmm.default("09:00"), enabled: z.boolean().default(true) })
          .prefault({}),
        periodSummary: z
          .strictObject({ time: hhmm.default("09:30"), enabled: z.boolean().default(true) })
          .prefault({}),
        reminder: z.strictObject({ time: hhmm.default("17:00"), enabled: z.boolean().default(true) }).prefault({}),
        /** Missed runs younger than this are caught up at start. */
        catchUpHours: z.number().positive().default(72),
      })
      .prefault({}),
    policy: z
      .strictObject({
        unknownSenders: z.enum(["refuse", "accept"]).default("refuse"),
        pendingQuestionMinutes: z.number().int().positive().default(60),
        /** Reports for days older than this need 补报. */
        backfillDays: z.number().int().nonnegative().default(3),
        /** A value this many times the branch's own median for the metric is confirmed before storing. */
        outlierFactor: z.number().gt(1).default(10),
      })
      .prefault({}),
    /** Extra metrics and extra aliases for catalogue metrics. */
    metrics: z.array(customMetricSchema).default([]),
    aliases: z.record(z.string(), z.array(z.string().min(1))).default({}),
    /** Annual targets: { "2026": { "visits": 120000 } } */
    targets: z.record(z.string().regex(/^\d{4}$/), z.record(z.string(), z.number().positive())).default({}),
    calendar: z
      .strictObject({
        /** Extra days the whole library is closed. */
        closed: z.array(isoDate).default([]),
        /** Days open although the holiday calendar says otherwise. */
        open: z.array(isoDate).default([]),
      })
      .prefault({}),
  })
  .superRefine((site, ctx) => {
    const known = new Set(site.branches.map((b) => b.name).concat(site.library.headBranch));
    site.people.forEach((person, i) => {
      for (const [field, names] of [
        ["branch", person.branch ? [person.branch] : []],
        ["reportsFor", person.reportsFor],
      ] as const) {
        for (const name of names) {
          if (!known.has(name)) {
            ctx.addIssue({
              code: "custom",
              path: ["people", i, field],
              message: `names branch "${name}", which is not in "branches"`,
            });
          }
        }
      }
    });
    const seen = new Map<string, string>();
    for (const b of site.branches) {
      for (const name of [b.name, ...b.aliases]) {
        const owner = seen.get(name);
        if (owner && owner !== b.name) {
          ctx.addIssue({ code: "custom", path: ["branches"], message: `"${name}" names both ${owner} and ${b.name}` });
        }
        seen.set(name, b.name);
      }
    }
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: site.library.timezone });
    } catch {
      ctx.addIssue({ code: "custom", path: ["library", "timezone"], message: "is not a known IANA timezone" });
    }
  });

export type SiteConfig = z.infer<typeof siteConfigSchema>;
export type Person = SiteConfig["people"][number];
export type Branch = SiteConfig["branches"][number];
