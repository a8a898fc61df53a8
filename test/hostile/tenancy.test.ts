import { createHash, createHmac } from "node:crypto";
import { ROUTES } from "@facegate/api/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "../support/images";
import { type Receiver, startReceiver } from "../support/receiver";
import { startTestSystem, type TestSystem } from "../support/system";
import { expectProblem, type Json, waitCompleted } from "./support";

/*
 * Tenant isolation on every route: tenant `acme` owns a finished job (with a webhook delivery), a
 * running job, a batch, a registered endpoint and its secrets; tenant `beta` tries every route on
 * each of them. Foreign ids answer exactly what unknown ids answer (404, never 403), lists never
 * show the other tenant's things, and afterwards acme's things are untouched. The routes come
 * from the OpenAPI registry: a new route without a case here fails the first test.
 */

const ADMIN_KEY = "admin_tenancy_key_0123456789";

let t: TestSystem;
let receiver: Receiver;
/** acme's things. */
const acme = {} as {
  job: string;
  running: string;
  batch: string;
  batchJobs: string[];
  endpoint: Json;
  delivery: string;
  secret: string;
  output: string;
};
let betaJob: string;

const UNKNOWN = {
  job: "job_000000000000000000000000000zz",
  batch: "bat_000000000000000000000000000zz",
  endpoint: "whe_000000000000000000000000000zz",
  delivery: "dlv_000000000000000000000000000zz",
};

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestSystem({ env: { EGRESS_ALLOWLIST: receiver.hostPort, ADMIN_API_KEY: ADMIN_KEY } });
  const images = { target: await face(40), template: await face(220) };
  const created = await t.api("/v1/jobs", {
    method: "POST",
    headers: { "idempotency-key": "order-1001" },
    body: form({ operation: "face_fusion", vendor: "ailab", webhook_url: receiver.url }, images),
  });
  acme.job = ((await created.json()) as Json).id;
  const done = (await waitForFinal((p) => t.api(p), acme.job)) as Json;
  expect(done.status).toBe("succeeded");
  acme.output = done.output.url;
  await receiver.waitAbout(acme.job);
  acme.delivery = ((await (await t.api(`/v1/jobs/${acme.job}/deliveries`)).json()) as Json).data[0].id;

  // A job that stays running while beta tries to cancel or erase it.
  t.sim.configure("aigs", { latencyMs: 30_000 });
  const running = await t.api("/v1/jobs", {
    method: "POST",
    body: form(
      { operation: "face_fusion", vendor: "aigs" },
      { target: await face(60), template: images.template },
    ),
  });
  acme.running = ((await running.json()) as Json).id;

  const batch = await t.postJson("/v1/batches", {
    operation: "face_fusion",
    vendor: "ailab",
    template: { base64: images.template.toString("base64") },
    items: [{ inputs: { target: { base64: (await face(90)).toString("base64") } }, name: "guest.jpg" }],
  });
  acme.batch = ((await batch.json()) as Json).id;
  await waitCompleted(t, acme.batch);
  acme.batchJobs = ((await (await t.api(`/v1/batches/${acme.batch}/jobs`)).json()) as Json).data.map(
    (j: Json) => j.id,
  );

  const endpoint = await t.postJson("/v1/webhook-endpoints", {
    url: `${receiver.url}/acme`,
    events: ["batch.completed"],
  });
  acme.endpoint = (await endpoint.json()) as Json;
  acme.secret = ((await (await t.api("/v1/webhook-secret")).json()) as Json).secret;

  const beta = await t.api("/v1/jobs", {
    method: "POST",
    tenant: "beta",
    body: form(
      { operation: "face_fusion", vendor: "ailab" },
      { target: await face(130), template: images.template },
    ),
  });
  betaJob = ((await beta.json()) as Json).id;
  await waitForFinal((p) => t.api(p, { tenant: "beta" }), betaJob);
});
afterAll(async () => {
  if (acme.running) await t?.api(`/v1/jobs/${acme.running}/cancel`, { method: "POST" });
  await t?.close();
  await receiver?.close();
});

const asBeta = (path: string, method = "GET", init: RequestInit = {}) =>
  t.api(path, { ...init, method, tenant: "beta" });

/** A foreign id is refused exactly as an unknown id of the same kind: nothing tells them apart. */
async function refusedLikeUnknown(
  method: string,
  path: (id: string) => string,
  foreign: string,
  unknown: string,
) {
  const theirs = await expectProblem(await asBeta(path(foreign), method), 404, "not_found");
  const nobody = await expectProblem(await asBeta(path(unknown), method), 404, "not_found");
  expect({ ...theirs, request_id: undefined }).toEqual({ ...nobody, request_id: undefined });
}

const ids = (list: Json) => (list.data as Json[]).map((x) => x.id as string);

/** One isolation case per route, keyed `METHOD /path` as the registry writes it. */
const CASES: Record<string, () => Promise<void>> = {
  "GET /v1/jobs/:id": () => refusedLikeUnknown("GET", (id) => `/v1/jobs/${id}`, acme.job, UNKNOWN.job),
  "POST /v1/jobs/:id/cancel": () =>
    refusedLikeUnknown("POST", (id) => `/v1/jobs/${id}/cancel`, acme.running, UNKNOWN.job),
  "DELETE /v1/jobs/:id": async () => {
    await refusedLikeUnknown("DELETE", (id) => `/v1/jobs/${id}`, acme.job, UNKNOWN.job);
    await refusedLikeUnknown("DELETE", (id) => `/v1/jobs/${id}`, acme.running, UNKNOWN.job);
  },
  "GET /v1/jobs/:id/output": () =>
    refusedLikeUnknown("GET", (id) => `/v1/jobs/${id}/output`, acme.job, UNKNOWN.job),
  "GET /v1/jobs/:id/deliveries": () =>
    refusedLikeUnknown("GET", (id) => `/v1/jobs/${id}/deliveries`, acme.job, UNKNOWN.job),
  "GET /v1/deliveries/:id": () =>
    refusedLikeUnknown("GET", (id) => `/v1/deliveries/${id}`, acme.delivery, UNKNOWN.delivery),
  "POST /v1/deliveries/:id/retry": () =>
    refusedLikeUnknown("POST", (id) => `/v1/deliveries/${id}/retry`, acme.delivery, UNKNOWN.delivery),
  "GET /v1/batches/:id": () =>
    refusedLikeUnknown("GET", (id) => `/v1/batches/${id}`, acme.batch, UNKNOWN.batch),
  "GET /v1/jobs/:id/events": () =>
    refusedLikeUnknown("GET", (id) => `/v1/jobs/${id}/events`, acme.job, UNKNOWN.job),
  "GET /v1/jobs/:id/thumbnails/:role": () =>
    refusedLikeUnknown("GET", (id) => `/v1/jobs/${id}/thumbnails/result`, acme.job, UNKNOWN.job),
  "GET /v1/batches/:id/events": () =>
    refusedLikeUnknown("GET", (id) => `/v1/batches/${id}/events`, acme.batch, UNKNOWN.batch),
  "GET /v1/batches": async () => {
    const listed = (await (await asBeta("/v1/batches")).json()) as Json;
    expect(ids(listed)).not.toContain(acme.batch);
  },
  "GET /v1/batches/:id/jobs": () =>
    refusedLikeUnknown("GET", (id) => `/v1/batches/${id}/jobs`, acme.batch, UNKNOWN.batch),
  "POST /v1/batches/:id/cancel": () =>
    refusedLikeUnknown("POST", (id) => `/v1/batches/${id}/cancel`, acme.batch, UNKNOWN.batch),
  "DELETE /v1/batches/:id": () =>
    refusedLikeUnknown("DELETE", (id) => `/v1/batches/${id}`, acme.batch, UNKNOWN.batch),
  "GET /v1/batches/:id/output": () =>
    refusedLikeUnknown("GET", (id) => `/v1/batches/${id}/output`, acme.batch, UNKNOWN.batch),
  "GET /v1/webhook-endpoints/:id": () =>
    refusedLikeUnknown("GET", (id) => `/v1/webhook-endpoints/${id}`, acme.endpoint.id, UNKNOWN.endpoint),
  "DELETE /v1/webhook-endpoints/:id": () =>
    refusedLikeUnknown("DELETE", (id) => `/v1/webhook-endpoints/${id}`, acme.endpoint.id, UNKNOWN.endpoint),
  "POST /v1/webhook-endpoints/:id/rotate-secret": () =>
    refusedLikeUnknown(
      "POST",
      (id) => `/v1/webhook-endpoints/${id}/rotate-secret`,
      acme.endpoint.id,
      UNKNOWN.endpoint,
    ),
  "POST /v1/webhook-endpoints/:id/enable": () =>
    refusedLikeUnknown(
      "POST",
      (id) => `/v1/webhook-endpoints/${id}/enable`,
      acme.endpoint.id,
      UNKNOWN.endpoint,
    ),

  "GET /v1/jobs": async () => {
    const all = ids((await (await asBeta("/v1/jobs?limit=200")).json()) as Json);
    expect(all).toContain(betaJob);
    for (const theirs of [acme.job, acme.running, ...acme.batchJobs]) expect(all).not.toContain(theirs);
    const succeeded = ids((await (await asBeta("/v1/jobs?status=succeeded&limit=200")).json()) as Json);
    expect(succeeded).not.toContain(acme.job);
    // Filtering by a foreign batch is a foreign batch: 404, as an unknown one.
    await refusedLikeUnknown("GET", (id) => `/v1/jobs?batch_id=${id}`, acme.batch, UNKNOWN.batch);
    // A cursor pointing into acme's list shows beta's jobs only.
    const after = ids((await (await asBeta(`/v1/jobs?cursor=${acme.running}&limit=200`)).json()) as Json);
    for (const theirs of [acme.job, ...acme.batchJobs]) expect(after).not.toContain(theirs);
  },
  "POST /v1/jobs": async () => {
    // The same Idempotency-Key in another tenant is another key: a new job, not acme's replay.
    const res = await asBeta("/v1/jobs", "POST", {
      headers: { "idempotency-key": "order-1001" },
      body: form(
        { operation: "face_fusion", vendor: "ailab" },
        { target: await face(150), template: await face(220) },
      ),
    });
    expect(res.status).toBe(202);
    const created = (await res.json()) as Json;
    expect(created.id).not.toBe(acme.job);
    expect(ids((await (await t.api("/v1/jobs?limit=200")).json()) as Json)).not.toContain(created.id);
  },
  "POST /v1/batches": async () => {
    const res = await asBeta("/v1/batches", "POST", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        operation: "face_fusion",
        vendor: "ailab",
        template: { base64: (await face(220)).toString("base64") },
        items: [{ inputs: { target: { base64: (await face(170)).toString("base64") } } }],
      }),
    });
    expect(res.status).toBe(202);
    const batch = await waitCompleted(t, ((await res.json()) as Json).id, "beta");
    await expectProblem(await t.api(`/v1/batches/${batch.id}`), 404, "not_found");
    const theirs = ids((await (await asBeta(`/v1/batches/${batch.id}/jobs`)).json()) as Json);
    const mine = ids((await (await t.api("/v1/jobs?limit=200")).json()) as Json);
    for (const id of theirs) expect(mine).not.toContain(id);
  },
  "GET /v1/webhook-secret": async () => {
    const secret = ((await (await asBeta("/v1/webhook-secret")).json()) as Json).secret;
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(acme.secret);
  },
  "POST /v1/webhook-secret/rotate": async () => {
    expect((await asBeta("/v1/webhook-secret/rotate", "POST")).status).toBe(200);
    expect(((await (await t.api("/v1/webhook-secret")).json()) as Json).secret).toBe(acme.secret);
  },
  "POST /v1/webhook-endpoints": async () => {
    const res = await asBeta("/v1/webhook-endpoints", "POST", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${receiver.url}/beta` }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Json;
    expect(ids((await (await t.api("/v1/webhook-endpoints")).json()) as Json)).not.toContain(created.id);
  },
  "GET /v1/webhook-endpoints": async () => {
    const listed = (await (await asBeta("/v1/webhook-endpoints")).json()) as Json;
    expect(ids(listed)).not.toContain(acme.endpoint.id);
    expect(JSON.stringify(listed)).not.toContain(acme.endpoint.secret);
  },
  "GET /admin/queues": async () => {
    await expectProblem(await asBeta("/admin/queues"), 401, "unauthorized");
  },
  "GET /metrics": async () => {
    await expectProblem(await asBeta("/metrics"), 401, "unauthorized");
  },
  // Key management is the operator's: a tenant's key reaches none of it, its own keys included.
  "POST /v1/admin/keys": async () => {
    const res = await asBeta("/v1/admin/keys", "POST", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant: "acme" }),
    });
    await expectProblem(res, 401, "unauthorized");
  },
  "GET /v1/admin/keys": async () => {
    await expectProblem(await asBeta("/v1/admin/keys?tenant=beta"), 401, "unauthorized");
  },
  "DELETE /v1/admin/keys/:id": async () => {
    const listed = await t.api("/v1/admin/keys?tenant=acme", {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const [acmeKey] = ((await listed.json()) as Json).data as Json[];
    await expectProblem(await asBeta(`/v1/admin/keys/${acmeKey!.id}`, "DELETE"), 401, "unauthorized");
    expect((await t.api("/v1/jobs")).status).toBe(200);
  },
  // Usage: a tenant's own calls only, and no way to name another tenant.
  "GET /v1/usage": async () => {
    const own = (await (await asBeta("/v1/usage")).json()) as Json;
    const ledger = await t.system.ctx.ledger.list("beta");
    expect((own.total as Json).calls).toBe(ledger.length);
    expect((await t.system.ctx.ledger.list("acme")).length).toBeGreaterThan(0);
    await expectProblem(await asBeta("/v1/usage?tenant=acme"), 422, "validation_failed");
  },
  // A budget: the tenant's own, never another's.
  "GET /v1/budget": async () => {
    await t.system.ctx.budgets.set("acme", {
      period: "month",
      maxBillableCalls: 1_000_000,
      maxSpendMicros: undefined,
      alertAt: undefined,
    });
    expect(await (await t.api("/v1/budget")).json()).toMatchObject({ tenant: "acme" });
    await expectProblem(await asBeta("/v1/budget"), 404, "not_found");
    await t.system.ctx.budgets.delete("acme");
  },
  "GET /v1/admin/usage": async () => {
    await expectProblem(await asBeta("/v1/admin/usage?tenant=acme"), 401, "unauthorized");
  },
  "GET /v1/admin/tenants": async () => {
    await expectProblem(await asBeta("/v1/admin/tenants"), 401, "unauthorized");
  },
  "GET /v1/admin/tenants/:tenant/budget": async () => {
    await expectProblem(await asBeta("/v1/admin/tenants/acme/budget"), 401, "unauthorized");
  },
  "PUT /v1/admin/tenants/:tenant/budget": async () => {
    const res = await asBeta("/v1/admin/tenants/acme/budget", "PUT", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ period: "day", max_billable_calls: 0 }),
    });
    await expectProblem(res, 401, "unauthorized");
  },
  "DELETE /v1/admin/tenants/:tenant/budget": async () => {
    await expectProblem(await asBeta("/v1/admin/tenants/acme/budget", "DELETE"), 401, "unauthorized");
  },
};

/** Routes that hold no tenant's data: nothing to isolate. */
const PUBLIC = new Set(["GET /healthz", "GET /readyz", "GET /openapi.json", "GET /docs", "GET /console"]);

describe("tenant isolation", () => {
  it("has a case for every route the API documents", () => {
    const routes = ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(
      routes.filter((r) => !(r in CASES) && !PUBLIC.has(r)),
      "routes without an isolation case",
    ).toEqual([]);
    expect(
      Object.keys(CASES).filter((c) => !routes.includes(c)),
      "cases for routes that do not exist",
    ).toEqual([]);
  });

  for (const route of Object.keys(CASES)) {
    it(`beta cannot reach acme's things: ${route}`, async () => {
      await CASES[route]!();
    });
  }

  it("leaves every one of acme's things as it was", async () => {
    const job = (await (await t.api(`/v1/jobs/${acme.job}`)).json()) as Json;
    expect(job).toMatchObject({ status: "succeeded", erased_at: null });
    expect((await t.api(`/v1/jobs/${acme.job}/output`)).status).toBe(302);
    expect(((await (await t.api(`/v1/jobs/${acme.running}`)).json()) as Json).status).toBe("running");
    expect(((await (await t.api(`/v1/batches/${acme.batch}`)).json()) as Json).canceled_at).toBeNull();
    const endpoint = await t.api(`/v1/webhook-endpoints/${acme.endpoint.id}`);
    expect(endpoint.status).toBe(200);
    expect(((await endpoint.json()) as Json).previous_secret_valid_until).toBeNull();
    const delivery = (await (await t.api(`/v1/deliveries/${acme.delivery}`)).json()) as Json;
    expect(delivery.attempts).toHaveLength(1);
    expect(((await (await t.api("/v1/webhook-secret")).json()) as Json).previous_valid_until).toBeNull();
  });
});

describe("presigned links", () => {
  it("sign one object key and carry an expiry", () => {
    const url = new URL(acme.output);
    expect(decodeURIComponent(url.pathname)).toMatch(
      new RegExp(`/outputs/acme/${acme.job}/result\\.(jpg|png)$`),
    );
    expect(Number(url.searchParams.get("X-Amz-Expires"))).toBeGreaterThan(0);
    expect(Number(url.searchParams.get("X-Amz-Expires"))).toBeLessThanOrEqual(3_600);
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("host");
  });

  it("cannot be bent to another object: the signature covers the key", async () => {
    // s3rver does not check SigV4 signatures (real S3 does), so the check is done here, from
    // scratch: the link's signature is a valid SigV4 over its own path, and over no other.
    const secret = t.env.S3_SECRET_ACCESS_KEY!;
    const link = new URL(acme.output);
    expect(sigV4(link, secret)).toBe(link.searchParams.get("X-Amz-Signature"));
    const beta = (await (await asBeta(`/v1/jobs/${betaJob}`)).json()) as Json;
    const bent = new URL(acme.output);
    bent.pathname = new URL(beta.output.url).pathname;
    expect(sigV4(bent, secret)).not.toBe(bent.searchParams.get("X-Amz-Signature"));
    const longer = new URL(acme.output);
    longer.searchParams.set("X-Amz-Expires", "604800");
    expect(sigV4(longer, secret)).not.toBe(longer.searchParams.get("X-Amz-Signature"));
  });

  it("stop working once expired", async () => {
    const key = decodeURIComponent(new URL(acme.output).pathname).replace(/^\/[^/]+\//, "");
    const shortLived = await t.system.ctx.store.presignGet(key, 1);
    expect((await fetch(shortLived)).status).toBe(200);
    // Waiting out the link's one-second lifetime is the thing under test: no event marks expiry.
    await new Promise((r) => setTimeout(r, 2_100));
    expect((await fetch(shortLived)).status).toBe(403);
  });
});

/** The SigV4 query signature a presigned GET of `url` must carry (AWS's algorithm, written out). */
function sigV4(url: URL, secret: string): string {
  const q = url.searchParams;
  const [, date, region, service] = /^[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(
    q.get("X-Amz-Credential")!,
  )!;
  const encode = (v: string) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = [...q.entries()]
    .filter(([k]) => k !== "X-Amz-Signature")
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join("&");
  const canonical = ["GET", url.pathname, query, `host:${url.host}`, "", "host", "UNSIGNED-PAYLOAD"].join(
    "\n",
  );
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = [
    "AWS4-HMAC-SHA256",
    q.get("X-Amz-Date"),
    scope,
    createHash("sha256").update(canonical).digest("hex"),
  ].join("\n");
  const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  let key = hmac(`AWS4${secret}`, date!);
  for (const part of [region!, service!, "aws4_request"]) key = hmac(key, part);
  return createHmac("sha256", key).update(toSign).digest("hex");
}
