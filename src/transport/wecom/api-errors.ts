// WeCom API failures, classified by what the caller should do about them (wecom.md §3.5). WeCom answers
// errors with HTTP 200 and an errcode; branch on errcode, never on errmsg (doc path/90455).

/**
 * 'retryable': try again with backoff (busy, outage, timeout).
 * 'rate-limited': try again after the window (45009).
 * 'config': an administrator must fix a setting (secret, trusted IP, visibility); retry slowly, alert.
 * 'permanent': this message can never be sent as is (empty, too large, no valid recipient, robot removed).
 */
export type FailureKind = "retryable" | "rate-limited" | "config" | "permanent";

/** What to tell the operator, for codes where the fix is known. */
export const ERRCODE_HINTS: Record<number, string> = {
  40001: "invalid secret: check WECOM_APP_SECRET (the app's Secret in the admin console)",
  40013: "invalid corpid: check WECOM_CORP_ID",
  45009: "rate limited (a robot allows 20 messages per minute)",
  48002: "API not permitted for this app (visible range / permissions)",
  60011: "no privilege: the recipients are outside the app's visible range",
  60020: "this server's egress IP is not in 企业可信IP: add it in the admin console (takes about a minute)",
  81013: "all recipients are invalid (check userids and the app's visible range)",
  93000: "invalid webhook key, or the robot was removed from its group: check WECOM_WEBHOOK_KEY",
};

const RETRYABLE = new Set([-1, 45033, 40014, 42001]);
const CONFIG = new Set([40001, 40013, 48002, 60011, 60020]);

export function classifyErrcode(errcode: number): FailureKind {
  if (errcode === 45009) return "rate-limited";
  if (RETRYABLE.has(errcode)) return "retryable";
  if (CONFIG.has(errcode)) return "config";
  return "permanent";
}

export class WecomApiError extends Error {
  override name = "WecomApiError";
  readonly code = "WECOM_API";
  constructor(
    /** e.g. "message/send" */
    readonly api: string,
    readonly kind: FailureKind,
    /** WeCom's errcode; undefined for HTTP, network and timeout failures. */
    readonly errcode: number | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    const hint = errcode !== undefined ? ERRCODE_HINTS[errcode] : undefined;
    super(`${api}: ${errcode !== undefined ? `errcode ${errcode} ` : ""}${detail}${hint ? ` (${hint})` : ""}`, options);
  }
}
