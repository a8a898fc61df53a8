import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@facegate/config";
import { createLogger } from "@facegate/logger";
import { startEmbedded, startSystem } from "@facegate/standalone";
import { syntheticFace } from "@facegate/vendor-sim";
import { chromium } from "playwright-core";

/**
 * `npm run screenshots`: a whole facegate on embedded parts with a few jobs, a batch and webhook
 * deliveries in it, and every console page photographed by headless Chromium into
 * docs/console/ (desktop at 1280 px, and the busiest pages at phone width).
 */
const root = join(import.meta.dirname, "..");
const out = join(root, "docs", "console");
const KEY = "fg_screenshots_tenant_0123456789";
const ADMIN = "fg_screenshots_admin_0123456789";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const hooks = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200).end("ok"));
});
await new Promise<void>((r) => hooks.listen(0, "127.0.0.1", r));
const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`;

const dataDir = mkdtempSync(join(tmpdir(), "facegate-screenshots-"));
const { env, embedded } = await startEmbedded(
  {
    PATH: process.env.PATH,
    PORT: "0",
    LOG_LEVEL: "silent",
    API_KEYS: `demo:${KEY}`,
    ADMIN_API_KEY: ADMIN,
    EGRESS_ALLOWLIST: new URL(hookUrl).host,
  },
  dataDir,
);
const system = await startSystem(loadConfig(env), createLogger({ level: "silent" }), { host: "127.0.0.1" });
const base = system.api.url;
const sim = embedded.sim!;

/** What the script looks at in the page (this file is type-checked without the DOM's types). */
interface PageDocument {
  body: { textContent: string | null };
  images: ArrayLike<{ complete: boolean; naturalWidth: number }>;
}

/** What the script reads of a job or a batch. */
interface Answer {
  id: string;
  status: string;
  completed_at?: string | null;
}

async function api(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${KEY}` } });
  return (await res.json()) as Answer;
}
const example = (name: string) => new Blob([readFileSync(join(root, "examples", name))]);

async function job(fields: Record<string, string>, target: Blob, template: Blob) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  body.set("target", target, "target.jpg");
  body.set("template", template, "template.jpg");
  const created = await api("/v1/jobs", { method: "POST", body });
  for (;;) {
    const current = await api(`/v1/jobs/${created.id}`);
    if (["succeeded", "failed", "canceled"].includes(current.status)) return current;
    await new Promise((r) => setTimeout(r, 100));
  }
}

try {
  // A job that needed a second attempt, a job the vendor refused, and a clean one with a webhook.
  sim.configure("ailab", { script: [{ fault: "transient" }] });
  await job({ operation: "face_fusion", vendor: "ailab" }, example("face.jpg"), example("template.jpg"));
  sim.configure("ailab", { script: [{ code: "ERROR_NO_FACE_IN_FILE" }] });
  const failed = await job(
    { operation: "face_fusion", vendor: "ailab" },
    example("template.jpg"),
    example("face.jpg"),
  );
  const done = await job(
    { operation: "face_fusion", vendor: "auto", webhook_url: hookUrl, metadata: '{"order":"A-1042"}' },
    example("face.jpg"),
    example("template.jpg"),
  );

  const batchBody = new FormData();
  batchBody.set("operation", "face_fusion");
  batchBody.set("vendor", "ailab");
  batchBody.set("template", example("template.jpg"), "template.jpg");
  for (let i = 0; i < 7; i++) {
    const face = await syntheticFace({ hue: (i * 47) % 360 });
    batchBody.append("targets", new Blob([new Uint8Array(face)]), `guest-${i + 1}.jpg`);
  }
  batchBody.append("targets", new Blob(["not a photo"]), "notes.jpg");
  const batch = await api("/v1/batches", { method: "POST", body: batchBody });
  for (;;) {
    if ((await api(`/v1/batches/${batch.id}`)).completed_at) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), "facegate-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
    viewport: { width: 1280, height: 860 },
  });
  const page = await context.newPage();
  const shot = async (name: string, ready: string, options: { full?: boolean } = {}) => {
    await page.locator(ready).first().waitFor({ timeout: 20_000 });
    // Pictures are fetched after the page draws: wait until none is loading and all are decoded.
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      return (
        !doc.body.textContent?.includes("loading…") &&
        Array.from(doc.images).every((img) => img.complete && img.naturalWidth > 0)
      );
    });
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: options.full ?? true });
    console.log(`docs/console/${name}.png`);
  };
  const go = (hash: string) => page.goto(`${base}/console#${hash}`);

  await go("/");
  await shot("sign-in", "#api-key");
  await page.getByLabel("API key").fill(KEY);
  await page.getByRole("button", { name: "Sign in" }).click();
  await shot("jobs", "tr[data-job]");
  await go(`/jobs/${done.id}`);
  await shot("job", ".delivery tbody tr");
  await go(`/jobs/${failed.id}`);
  await shot("job-failed", "#job-error-code");
  await go("/batches");
  await shot("batches", "tr[data-batch]");
  await go(`/batches/${batch.id}`);
  await shot("batch", "#batch-grid .cell[data-status=failed]");
  await go("/try");
  await page.getByRole("button", { name: "Use the example photos" }).click();
  await shot("try-it", ".drop[data-role=template] img");
  await go("/usage");
  await shot("usage", "#usage table");

  await page.setViewportSize({ width: 390, height: 844 });
  await go("/jobs");
  await shot("phone-jobs", "tr[data-job]", { full: false });
  await go(`/jobs/${done.id}`);
  await shot("phone-job", ".delivery tbody tr", { full: false });
  await go("/try");
  await shot("phone-try-it", "#operation", { full: false });

  await page.setViewportSize({ width: 1280, height: 860 });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("API key").fill(ADMIN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await shot("admin", "#queue-health tbody tr");

  await context.close();
  rmSync(profile, { recursive: true, force: true });
} finally {
  await system.close();
  await embedded.stop();
  hooks.close();
  rmSync(dataDir, { recursive: true, force: true });
}
