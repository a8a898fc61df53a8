/** What the listener prints about one request: one line a developer can scan. */
export interface SeenEvent {
  at: Date;
  webhookId: string | undefined;
  /** The parsed body, when it was JSON. Shown even when not verified, but flagged as such. */
  body: unknown;
  verified: boolean;
  /** Why verification failed. */
  reason?: string | undefined;
}

interface EventBody {
  type?: unknown;
  data?: { id?: unknown; status?: unknown; error?: { code?: unknown } | null };
}

/**
 * `12:00:01  job.succeeded    job_0…  succeeded  verified      msg_…`. The error code is added for
 * failed jobs: it is the first thing one wants to know about them.
 */
export function describeEvent(seen: SeenEvent): string {
  const body = (typeof seen.body === "object" && seen.body !== null ? seen.body : {}) as EventBody;
  const type = typeof body.type === "string" ? body.type : "(no type)";
  const subject = typeof body.data?.id === "string" ? body.data.id : "-";
  const status = typeof body.data?.status === "string" ? body.data.status : "-";
  const code = typeof body.data?.error?.code === "string" ? ` (${body.data.error.code})` : "";
  const verdict = seen.verified ? "verified" : `NOT verified: ${seen.reason ?? "unknown reason"}`;
  return [
    seen.at.toTimeString().slice(0, 8),
    type.padEnd(15),
    subject,
    `${status}${code}`,
    verdict,
    seen.webhookId ?? "(no webhook-id)",
  ].join("  ");
}
