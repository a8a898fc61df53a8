import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, launchBrowser, type TestBrowser } from "./support/browser";
import { signIn, watchErrors } from "./support/console";
import { batchForm, face, form, waitForFinal } from "./support/images";
import { submitFusion } from "./support/jobs";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";
import { TEST_KEYS } from "./support/test-env";

const ADMIN_KEY = "admin_test_key_0123456789";

let t: TestSystem;
let browser: TestBrowser;
let receiver: Receiver;

beforeAll(async () => {
  // Not a skip: without Chromium these tests fail, saying how to get it.
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  receiver = await startReceiver();
  t = await startTestSystem({ env: { ADMIN_API_KEY: ADMIN_KEY, EGRESS_ALLOWLIST: receiver.hostPort } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await receiver?.close();
});

type Json = Record<string, any>;

async function page(): Promise<{ page: Page; errors: string[] }> {
  const p = await browser.context.newPage();
  // Confirmation dialogs (cancel, erase, revoke) are accepted, as a person who clicked would.
  p.on("dialog", (dialog) => void dialog.accept());
  return { page: p, errors: watchErrors(p) };
}

describe("the web console at /console", () => {
  it("is one strict-CSP page that refuses a wrong key with a visible error", async () => {
    const { page: p, errors } = await page();
    const response = await p.goto(`${t.url}/console`);
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    await p.getByLabel("API key").fill("fg_not_a_real_key_000000");
    await p.getByRole("button", { name: "Sign in" }).click();
    await expect(p.getByRole("alert").textContent()).resolves.toContain("not accepted");
    expect(await p.evaluate("sessionStorage.length")).toBe(0);
    expect(errors).toEqual([]);
    await p.close();
  });

  it("signs in, runs the example photos through Try it, shows the result, and signs out", async () => {
    const { page: p, errors } = await page();
    await signIn(p, t.url, TEST_KEYS.acme);
    await expect(p.locator("h1").textContent()).resolves.toBe("Jobs");
    await p.getByRole("link", { name: "Try it" }).click();
    await p.getByRole("button", { name: "Use the example photos" }).click();
    await p.locator(".drop[data-role=template] img").waitFor();
    await p.getByLabel("Vendor").selectOption("ailab");
    // The params form comes from the API's own schema: AILab's face fusion takes source_similarity.
    await p.getByLabel("source similarity").fill("0.7");
    await p.getByRole("button", { name: "Run" }).click();

    await p.waitForURL(/#\/jobs\/job_/);
    await p.locator(".timeline .tl-succeeded").waitFor({ timeout: 20_000 });
    const result = p.locator("figure[data-role=result] img");
    await result.waitFor();
    const width = await result.evaluate((img: any) => img.decode().then(() => img.naturalWidth));
    expect(width).toBeGreaterThan(0);
    await expect(p.locator("#job-summary").textContent()).resolves.toContain("ailab");
    const id = p.url().split("/").pop()!;
    const job = (await (await t.api(`/v1/jobs/${id}`)).json()) as Json;
    expect(job).toMatchObject({ status: "succeeded", params: { source_similarity: 0.7 } });

    await p.getByRole("button", { name: "Sign out" }).click();
    await p.getByLabel("API key").waitFor();
    expect(await p.evaluate("sessionStorage.length")).toBe(0);
    expect(errors).toEqual([]);
    await p.close();
  });

  it("shows a failed job's code in the list and on its page", async () => {
    t.sim.configure("ailab", { script: [{ code: "ERROR_NO_FACE_IN_FILE" }] });
    const job = await submitFusion(t, 5);
    await waitForFinal(t.api, job.id);

    const { page: p, errors } = await page();
    await signIn(p, t.url, TEST_KEYS.acme);
    await p.getByLabel("Status").selectOption("failed");
    const row = p.locator(`tr[data-job="${job.id}"]`);
    await row.waitFor();
    await expect(row.locator(".error-code").textContent()).resolves.toBe("no_face_detected");
    await row.getByRole("link").click();
    await expect(p.locator("#job-error-code").textContent()).resolves.toBe("no_face_detected");
    expect(errors).toEqual([]);
    await p.close();
  });

  it("follows a batch to its grid of results and failed items", async () => {
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: batchForm({ operation: "face_fusion", vendor: "ailab" }, [
        ["template", await face(200), "template.jpg"],
        ["targets", await face(10), "anna.jpg"],
        ["targets", await face(50), "ben.jpg"],
        ["targets", Buffer.from("not a photo"), "notes.jpg"],
      ]),
    });
    const batch = (await res.json()) as Json;

    const { page: p, errors } = await page();
    await signIn(p, t.url, TEST_KEYS.acme);
    await p.getByRole("link", { name: "Batches" }).click();
    await p.locator(`tr[data-batch="${batch.id}"] a`).click();
    // The stream brings the batch to its end; the grid fills with both results.
    await p.locator("#batch-progress .badge-completed").waitFor({ timeout: 20_000 });
    await p.locator("#batch-grid .cell[data-status=succeeded] img").nth(1).waitFor();
    await expect(p.locator("[data-count=succeeded]").textContent()).resolves.toBe("2");
    await expect(p.locator("[data-count=failed]").textContent()).resolves.toBe("1");
    await expect(p.locator("#batch-grid .cell[data-status=failed] .error-code").textContent()).resolves.toBe(
      "invalid_image",
    );
    await expect(p.getByRole("button", { name: "Download zip" }).isEnabled()).resolves.toBe(true);
    const download = p.waitForEvent("download");
    await p.getByRole("button", { name: "Download zip" }).click();
    expect((await download).suggestedFilename()).toBe(`${batch.id}.zip`);
    expect(errors).toEqual([]);
    await p.close();
  });

  it("replays a webhook delivery and shows the new attempt", async () => {
    const created = await t.api("/v1/jobs", {
      method: "POST",
      body: form(
        { operation: "face_fusion", vendor: "ailab", webhook_url: `${receiver.url}/hook` },
        { target: await face(70), template: await face(200) },
      ),
    });
    const job = (await created.json()) as Json;
    await receiver.waitAbout(job.id, 1);

    const { page: p, errors } = await page();
    await signIn(p, t.url, TEST_KEYS.acme);
    await p.goto(`${t.url}/console#/jobs/${job.id}`);
    const card = p.locator(".delivery").first();
    await card.locator("tbody tr").first().waitFor();
    await expect(card.locator("tbody tr").count()).resolves.toBe(1);
    await card.getByRole("button", { name: "Replay" }).click();
    await card.locator("tbody tr", { hasText: "replay" }).waitFor({ timeout: 10_000 });
    await receiver.waitAbout(job.id, 2);
    expect(errors).toEqual([]);
    await p.close();
  });

  it("counts the tenant's vendor calls by vendor, with its budget's gauge", async () => {
    const budget = await t.api("/v1/admin/tenants/acme/budget", {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ period: "month", max_billable_calls: 1000 }),
    });
    expect(budget.status).toBe(200);
    const { page: p, errors } = await page();
    await signIn(p, t.url, TEST_KEYS.acme);
    await p.getByRole("link", { name: "Usage" }).click();
    const table = p.locator("#usage-by-vendor");
    await table.waitFor();
    await expect(table.textContent()).resolves.toContain("ailab");
    await expect(p.locator("#budget").textContent()).resolves.toMatch(/of 1000 calls/);
    await expect(p.locator("#budget-gauge").count()).resolves.toBe(1);
    expect(errors).toEqual([]);
    await p.close();
  });

  it("gives the admin key the keys and the queues", async () => {
    const { page: p, errors } = await page();
    await signIn(p, t.url, ADMIN_KEY);
    await expect(p.locator("h1").textContent()).resolves.toBe("Admin");
    await p.getByLabel("Tenant").fill("globex");
    await p.getByLabel("Name").fill("console test");
    await p.getByRole("button", { name: "Create key" }).click();
    const secret = (await p.locator("#new-key").textContent())!;
    expect((await t.api("/v1/jobs", { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    await p.getByRole("button", { name: "Revoke console test of globex" }).click();
    await p.getByRole("button", { name: "Revoke console test of globex" }).waitFor({ state: "detached" });
    expect((await t.api("/v1/jobs", { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
    await p.locator("#queue-health tbody tr").first().waitFor();
    await expect(p.locator("#queue-health").textContent()).resolves.toContain("vendor-ailab");
    expect(errors).toEqual([]);
    await p.close();
  });
});
