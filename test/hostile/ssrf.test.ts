import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { face } from "../support/images";
import { startTestSystem, type TestSystem } from "../support/system";
import {
  expectOnlyKnownKeys,
  expectProblem,
  expectUnharmed,
  files,
  type ImageServer,
  type Json,
  startImageServer,
  waitCompleted,
  watchMemory,
} from "./support";

/*
 * Every user-given URL goes through the egress guard: job inputs, job and batch webhook URLs,
 * registered endpoints, a batch's template URL, manifest and JSON item URLs. Loopback (the Redis
 * port among them), private, link-local, CGNAT, multicast, IPv6 ULA and mapped addresses, cloud
 * metadata, numeric spellings of them, names resolving to them, other schemes, and redirects to
 * any of these are refused. A canary listening on loopback proves no request got through.
 * (Names resolving to private addresses through a hostile DNS server are covered with an
 * injected resolver in packages/egress; offline, `localhost` is the name that resolves to one.)
 */

let t: TestSystem;
let server: ImageServer;
let canary: Server;
let canaryPort: number;
let canaryHits = 0;
let redisPort: string;
let memory: ReturnType<typeof watchMemory>;
let target: Buffer;

beforeAll(async () => {
  canary = createServer((socket: Socket) => {
    canaryHits++;
    socket.destroy();
  });
  await new Promise<void>((r) => canary.listen(0, "127.0.0.1", r));
  canaryPort = (canary.address() as { port: number }).port;
  server = await startImageServer();
  t = await startTestSystem({ env: { EGRESS_ALLOWLIST: server.hostPort } });
  redisPort = new URL(t.env.REDIS_URL!).port;
  target = await face(40);
  server.serve("/face.jpg", target);
  memory = watchMemory();
});
afterEach(() => expectUnharmed(t));
afterAll(async () => {
  memory?.stop();
  await t?.close();
  await server?.close();
  await new Promise((r) => canary.close(r));
});

/** URLs that must never be fetched, and the code their refusal carries. */
const HOSTILE_URLS: [string, () => string, string][] = [
  ["127.0.0.1 on the Redis port", () => `http://127.0.0.1:${redisPort}/`, "url_not_allowed"],
  ["127.0.0.1 on a listening port", () => `http://127.0.0.1:${canaryPort}/a.jpg`, "url_not_allowed"],
  [
    "cloud metadata",
    () => "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "url_not_allowed",
  ],
  ["IPv6 loopback", () => `http://[::1]:${canaryPort}/`, "url_not_allowed"],
  ["0.0.0.0", () => `http://0.0.0.0:${canaryPort}/`, "url_not_allowed"],
  ["the IPv6 unspecified address", () => `http://[::]:${canaryPort}/`, "url_not_allowed"],
  ["loopback as a decimal number", () => `http://2130706433:${canaryPort}/`, "url_not_allowed"],
  ["loopback in hex", () => `http://0x7f000001:${canaryPort}/`, "url_not_allowed"],
  ["loopback in dotted hex", () => `http://0x7f.0x0.0x0.0x1:${canaryPort}/`, "url_not_allowed"],
  ["loopback in octal", () => `http://0177.0.0.01:${canaryPort}/`, "url_not_allowed"],
  ["loopback shortened", () => `http://127.1:${canaryPort}/`, "url_not_allowed"],
  ["a name resolving to loopback", () => `http://localhost:${canaryPort}/`, "url_not_allowed"],
  ["IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${canaryPort}/`, "url_not_allowed"],
  ["IPv4-mapped metadata", () => "http://[::ffff:a9fe:a9fe]/", "url_not_allowed"],
  ["private 10/8", () => "http://10.0.0.1/a.jpg", "url_not_allowed"],
  ["private 172.16/12", () => "http://172.16.5.4/a.jpg", "url_not_allowed"],
  ["private 192.168/16", () => "http://192.168.1.1/a.jpg", "url_not_allowed"],
  ["CGNAT 100.64/10", () => "http://100.64.0.1/a.jpg", "url_not_allowed"],
  ["IPv6 unique local", () => "http://[fd00::1]/a.jpg", "url_not_allowed"],
  ["IPv6 link-local", () => "http://[fe80::1]/a.jpg", "url_not_allowed"],
  ["multicast", () => "http://224.0.0.1/a.jpg", "url_not_allowed"],
  ["broadcast", () => "http://255.255.255.255/a.jpg", "url_not_allowed"],
  [
    "another port of an allow-listed host",
    () => `http://127.0.0.1:${otherPort(server.hostPort)}/face.jpg`,
    "url_not_allowed",
  ],
  [
    "an allow-listed port under another name",
    () => `http://localhost:${server.hostPort.split(":")[1]}/face.jpg`,
    "url_not_allowed",
  ],
  ["file://", () => "file:///etc/passwd", "url_not_allowed"],
  ["gopher:// to Redis", () => `gopher://127.0.0.1:${redisPort}/_FLUSHALL%0D%0A`, "url_not_allowed"],
  ["dict://", () => `dict://127.0.0.1:${redisPort}/info`, "url_not_allowed"],
  ["ftp://", () => "ftp://example.com/a.jpg", "url_not_allowed"],
  ["data:", () => `data:image/jpeg;base64,${"A".repeat(64)}`, "url_not_allowed"],
  ["credentials in the URL", () => "http://admin:hunter2@example.com/a.jpg", "url_not_allowed"],
  ["not a URL", () => "definitely not a url", "url_invalid"],
  ["a scheme and nothing else", () => "http://", "url_invalid"],
];

/** A port next to an allow-listed one: the list is of exact host:port pairs. */
const otherPort = (hostPort: string) => {
  const port = Number(hostPort.split(":")[1]);
  return port === 65_535 ? port - 1 : port + 1;
};

/** An allow-listed server redirecting to what is not allowed (each hop is checked again). */
const REDIRECTS: [string, () => string][] = [
  ["a redirect to 127.0.0.1 on the Redis port", () => `http://127.0.0.1:${redisPort}/`],
  ["a redirect to another loopback port", () => `http://127.0.0.1:${canaryPort}/a.jpg`],
  ["a redirect to cloud metadata", () => "http://169.254.169.254/latest/meta-data/"],
  ["a redirect to file://", () => "file:///etc/passwd"],
];

const b64 = () => ({ base64: target.toString("base64") });

/** Each way a URL reaches facegate, refusing at the API. */
const surfaces: [string, (url: string) => Promise<Response>][] = [
  [
    "job input",
    (url) =>
      t.postJson("/v1/jobs", {
        operation: "face_fusion",
        vendor: "ailab",
        inputs: { target: { url }, template: b64() },
      }),
  ],
  [
    "job webhook_url",
    (url) =>
      t.postJson("/v1/jobs", {
        operation: "face_fusion",
        vendor: "ailab",
        inputs: { target: b64(), template: b64() },
        webhook_url: url,
      }),
  ],
  ["webhook endpoint", (url) => t.postJson("/v1/webhook-endpoints", { url })],
  [
    "batch template_url",
    (url) =>
      t.api("/v1/batches", {
        method: "POST",
        body: files({ operation: "face_fusion", vendor: "ailab", template_url: url }, [
          ["targets", target, "a.jpg"],
        ]),
      }),
  ],
  [
    "batch JSON template",
    (url) =>
      t.postJson("/v1/batches", {
        operation: "face_fusion",
        vendor: "ailab",
        template: { url },
        items: [{ inputs: { target: b64() } }],
      }),
  ],
  [
    "batch webhook_url",
    (url) =>
      t.postJson("/v1/batches", {
        operation: "face_fusion",
        vendor: "ailab",
        template: b64(),
        webhook_url: url,
        items: [{ inputs: { target: b64() } }],
      }),
  ],
];
const fetching = new Set(["job input", "batch template_url", "batch JSON template"]);

describe("refused at the API", () => {
  for (const [surface, send] of surfaces) {
    describe(surface, () => {
      for (const [name, url, code] of HOSTILE_URLS) {
        it(name, async () => {
          await expectProblem(await send(url()), 422, code);
        });
      }
      for (const [name, to] of fetching.has(surface) ? REDIRECTS : []) {
        it(name, async () => {
          const path = `/redirect/${encodeURIComponent(name)}`;
          server.serve(path, { redirect: to() });
          await expectProblem(await send(`${server.url}${path}`), 422, "url_not_allowed");
        });
      }
    });
  }
});

describe("refused item by item", () => {
  // A batch's manifest and JSON items are fetched during expansion: each hostile URL fails its
  // own item (invalid_request, saying why) and the rest of the batch runs.
  it("a manifest of hostile URLs: every one of them fails, the good one runs", async () => {
    const urls = [
      ...HOSTILE_URLS.map(([, url]) => url()),
      `${server.url}/redirect/${encodeURIComponent("a redirect to cloud metadata")}`,
    ];
    server.serve(`/redirect/${encodeURIComponent("a redirect to cloud metadata")}`, {
      redirect: "http://169.254.169.254/",
    });
    const csv = [
      "target_url",
      ...urls.filter((u) => !u.includes(",")).map((u) => `"${u}"`),
      `${server.url}/face.jpg`,
    ].join("\n");
    const res = await t.api("/v1/batches", {
      method: "POST",
      tenant: "beta",
      body: files({ operation: "face_fusion", vendor: "ailab" }, [
        ["template", target, "t.jpg"],
        ["manifest", Buffer.from(csv), "m.csv"],
      ]),
    });
    expect(res.status).toBe(202);
    const batch = await waitCompleted(t, ((await res.json()) as Json).id, "beta");
    const rows = csv.split("\n").length - 1;
    expect(batch.counts).toMatchObject({ total: rows, succeeded: 1, failed: rows - 1 });
    const failed = (
      (await (
        await t.api(`/v1/batches/${batch.id}/jobs?status=failed&limit=200`, { tenant: "beta" })
      ).json()) as Json
    ).data;
    for (const job of failed) {
      expect(job.error.code).toBe("invalid_request");
      expect(job.error.message).toMatch(/not allowed|non-public|could not be parsed|no host|http and https/i);
    }
  });

  it("JSON items with hostile URLs fail alone", async () => {
    const res = await t.postJson(
      "/v1/batches",
      {
        operation: "face_fusion",
        vendor: "ailab",
        template: b64(),
        items: [
          { inputs: { target: { url: `http://127.0.0.1:${redisPort}/` } } },
          { inputs: { target: { url: "http://169.254.169.254/latest/meta-data/" } } },
          { inputs: { target: { url: `http://[::1]:${canaryPort}/` } } },
          { inputs: { target: { url: `${server.url}/face.jpg` } } },
        ],
      },
      { tenant: "beta" },
    );
    expect(res.status).toBe(202);
    const batch = await waitCompleted(t, ((await res.json()) as Json).id, "beta");
    expect(batch.counts).toMatchObject({ total: 4, succeeded: 1, failed: 3 });
  });
});

describe("afterwards", () => {
  it("no connection ever reached the canary on loopback", () => {
    expect(canaryHits).toBe(0);
  });

  it("every stored object sits where facegate puts things", async () => {
    await expectOnlyKnownKeys(t);
  });

  it("memory stayed bounded", () => {
    expect(memory.growthMb()).toBeLessThan(300);
  });
});
