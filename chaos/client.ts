import { createHash } from "node:crypto";
import { syntheticFace } from "@facegate/vendor-sim";
import type { Member } from "./fleet";
import { TENANTS } from "./stack";

export type Tenant = keyof typeof TENANTS;

export interface Submitted {
  key: string;
  tenant: Tenant;
  /** SHA-256 of the target: the simulator logs it with every call. */
  sha: string;
  /** The job id (or batch id) facegate answered with; undefined when every try failed. */
  id?: string;
  /** Tries after the first (API gone, Redis away, claim in use). */
  retries: number;
  /** Why the last try failed, when none succeeded. */
  error?: string;
}

/** A distinct portrait per index (the hue and size vary), so each call maps to its job. */
export function portrait(index: number): Promise<Buffer> {
  return syntheticFace({
    hue: (index * 37) % 360,
    width: 360 + (index % 40),
    height: 460 + Math.floor(index / 40),
  });
}

export const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

const RETRYABLE = new Set([409, 429, 500, 502, 503, 504]);

/**
 * Send one request the way a careful client does: to any live API, again on a network error or
 * a retryable status, for at most `giveUpMs`. Jobs carry an Idempotency-Key, so a retry after a
 * crash gets the job the first try created, never a second one.
 */
async function persist(
  apis: Member[],
  path: string,
  tenant: Tenant,
  body: () => FormData,
  headers: Record<string, string>,
  giveUpMs: number,
): Promise<{ id?: string; retries: number; error?: string }> {
  const deadline = Date.now() + giveUpMs;
  let error = "";
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const live = apis.filter((a) => a.alive());
    const api = live[attempt % Math.max(1, live.length)];
    if (api?.url) {
      try {
        const res = await fetch(`${api.url}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${TENANTS[tenant]}`, ...headers },
          body: body(),
          signal: AbortSignal.timeout(30_000),
        });
        const json = (await res.json().catch(() => ({}))) as { id?: string; code?: string };
        if (res.status === 200 || res.status === 202) return { id: json.id, retries: attempt };
        error = `${res.status} ${json.code ?? ""}`;
        if (!RETRYABLE.has(res.status)) return { retries: attempt, error };
      } catch (e) {
        error = (e as Error).message;
      }
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { retries: -1, error: `gave up: ${error}` };
}

export async function submitJob(
  apis: Member[],
  index: number,
  template: Buffer,
  webhookUrl: string,
): Promise<Submitted> {
  const target = await portrait(index);
  const tenant: Tenant = index % 2 === 0 ? "acme" : "beta";
  const key = `chaos-${index}`;
  const form = () => {
    const f = new FormData();
    f.set("operation", "face_fusion");
    f.set("vendor", "ailab");
    f.set("webhook_url", webhookUrl);
    f.set("target", new Blob([new Uint8Array(target)]), "target.jpg");
    f.set("template", new Blob([new Uint8Array(template)]), "template.jpg");
    return f;
  };
  const result = await persist(apis, "/v1/jobs", tenant, form, { "idempotency-key": key }, 180_000);
  return { key, tenant, sha: sha256(target), ...result };
}

/** A batch of `size` portraits (from `first`), with one template, for the acme tenant. */
export async function submitBatch(
  apis: Member[],
  first: number,
  size: number,
  template: Buffer,
  webhookUrl: string,
): Promise<Submitted & { shas: string[] }> {
  const targets = await Promise.all(Array.from({ length: size }, (_, i) => portrait(first + i)));
  const form = () => {
    const f = new FormData();
    f.set("operation", "face_fusion");
    f.set("vendor", "ailab");
    f.set("webhook_url", webhookUrl);
    f.append("template", new Blob([new Uint8Array(template)]), "template.jpg");
    for (const [i, t] of targets.entries())
      f.append("targets", new Blob([new Uint8Array(t)]), `p${first + i}.jpg`);
    return f;
  };
  // Batches take no Idempotency-Key: a retry after a crash mid-upload may leave a second batch.
  const result = await persist(apis, "/v1/batches", "acme", form, {}, 180_000);
  return { key: `batch-${first}`, tenant: "acme", sha: "", shas: targets.map(sha256), ...result };
}
