// The JSON shape of a ParseResult for the `parse` command and our evaluation: snake_case keys, dates as
// 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD', and `subset: true` on breakdown records.
import { formatDayRange } from "./dates.ts";
import type { ParseResult, ParsedCorrection, ParsedQuery, ParsedRecord } from "./types.ts";

export interface RecordJson {
  metric: string;
  value: number;
  unit: string;
  approx: boolean;
  date: string;
  branch?: string;
  event_type?: string;
  subset?: boolean;
}

export interface QueryJson {
  metric: string;
  period: string;
  period_label?: string;
  branch?: string;
  event_type?: string;
  aggregation: string;
  compare?: string;
}

export interface CorrectionJson {
  action: string;
  target: { metric?: string; date?: string; branch?: string; old_value?: number; last?: boolean };
  value?: number;
  new_date?: string;
  new_metric?: string;
  new_branch?: string;
  new_event_type?: string;
}

export interface ParseResultJson {
  kind: ParseResult["kind"];
  records: RecordJson[];
  query?: QueryJson | QueryJson[];
  correction?: CorrectionJson;
  ask?: string;
  intent?: string;
}

export function recordToJson(record: ParsedRecord): RecordJson {
  const json: RecordJson = {
    metric: record.metric,
    value: record.value,
    unit: record.unit,
    approx: record.approx,
    date: formatDayRange(record.date),
  };
  if (record.branch !== undefined) json.branch = record.branch;
  if (record.eventType !== undefined) json.event_type = record.eventType;
  if (record.subsetOf !== undefined) json.subset = true;
  return json;
}

export function queryToJson(query: ParsedQuery): QueryJson {
  const json: QueryJson = { metric: query.metric, period: formatDayRange(query.period), aggregation: query.aggregation };
  if (query.periodLabel !== undefined) json.period_label = query.periodLabel;
  if (query.branch !== undefined) json.branch = query.branch;
  if (query.eventType !== undefined) json.event_type = query.eventType;
  if (query.compare !== undefined) json.compare = query.compare;
  return json;
}

export function correctionToJson(correction: ParsedCorrection): CorrectionJson {
  const { target } = correction;
  const json: CorrectionJson = { action: correction.action, target: {} };
  if (target.metric !== undefined) json.target.metric = target.metric;
  if (target.date !== undefined) json.target.date = formatDayRange(target.date);
  if (target.branch !== undefined) json.target.branch = target.branch;
  if (target.oldValue !== undefined) json.target.old_value = target.oldValue;
  if (target.last) json.target.last = true;
  if (correction.value !== undefined) json.value = correction.value;
  if (correction.newDate !== undefined) json.new_date = formatDayRange(correction.newDate);
  if (correction.newMetric !== undefined) json.new_metric = correction.newMetric;
  if (correction.newBranch !== undefined) json.new_branch = correction.newBranch;
  if (correction.newEventType !== undefined) json.new_event_type = correction.newEventType;
  return json;
}

export function resultToJson(result: ParseResult): ParseResultJson {
  const json: ParseResultJson = { kind: result.kind, records: result.records.map(recordToJson) };
  if (result.query !== undefined) {
    json.query = Array.isArray(result.query) ? result.query.map(queryToJson) : queryToJson(result.query);
  }
  if (result.correction !== undefined) json.correction = correctionToJson(result.correction);
  if (result.ask !== undefined) json.ask = result.ask;
  if (result.intent !== undefined) json.intent = result.intent;
  return json;
}
