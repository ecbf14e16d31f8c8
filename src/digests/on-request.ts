// The bot core's DraftPort over the real producers: a manager's 生成第三季度总结 runs exactly what the schedule
// runs (produceSummary / produceWeeklyDigest: stored as a Draft version, markdown split, .docx or chart), and
// posts to the group when a poster is given. Without one (no group robot configured) the draft is stored only.
import type { DraftJob, DraftOutcome, DraftPort } from "../bot/drafts.js";
import { draftAsOf, produceSummary, produceWeeklyDigest, type ProduceDeps, type SendOptions } from "./run.js";

function sendOptions(deps: ProduceDeps, job: DraftJob): SendOptions {
  return { send: deps.poster !== undefined, createdBy: job.requestedBy, today: job.today, requestKey: job.requestKey };
}

export function createDraftPort(deps: ProduceDeps): DraftPort {
  return {
    async summary(job: DraftJob): Promise<DraftOutcome> {
      const result = await produceSummary(deps, job.period, sendOptions(deps, job));
      return {
        version: result.draft.version,
        unchanged: !result.draft.created,
        posted: result.sent,
        ...optionalAsOf(job),
        attachments: result.sent ? ["Word文档"] : [],
      };
    },
    async digest(job: DraftJob): Promise<DraftOutcome> {
      const result = await produceWeeklyDigest(deps, job.period, sendOptions(deps, job));
      return {
        version: result.draft.version,
        unchanged: !result.draft.created,
        posted: result.sent,
        ...optionalAsOf(job),
        attachments: result.sent && result.chartPng ? ["图表"] : [],
      };
    },
  };
}

/** The same rule the producers use to write 截至 into the title. */
function optionalAsOf(job: DraftJob): { asOf?: string } {
  const asOf = draftAsOf(job.period, { today: job.today, requestKey: job.requestKey });
  return asOf ? { asOf } : {};
}
