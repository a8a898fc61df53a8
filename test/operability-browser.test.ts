import { existsSync } from "node:fs";
import { QUEUE_NAMES } from "@facegate/core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, launchBrowser, type TestBrowser } from "./support/browser";
import { startTestSystem, type TestSystem } from "./support/system";

const ADMIN_KEY = "admin_test_key_0123456789";

let t: TestSystem;
let browser: TestBrowser;

beforeAll(async () => {
  // Not a skip: without Chromium these tests fail, saying how to get it.
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  t = await startTestSystem({ env: { ADMIN_API_KEY: ADMIN_KEY }, worker: false });
  // The dashboard asks for the admin key as a basic-auth password, as it would ask a person.
  browser = await launchBrowser({ httpCredentials: { username: "admin", password: ADMIN_KEY } });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Console errors and uncaught exceptions of a page, CSP refusals included. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

describe("the API reference at /docs", () => {
  it("renders in Chromium and lists the job endpoints", async () => {
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    const response = await page.goto(`${t.url}/docs`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");

    await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
    await expect(page.locator(".info .title").textContent()).resolves.toContain("facegate");
    const operations = await page
      .locator(".opblock-summary")
      .evaluateAll((nodes) =>
        nodes.map(
          (n) =>
            `${n.querySelector(".opblock-summary-method")?.textContent} ${n.querySelector(".opblock-summary-path")?.textContent}`,
        ),
      );
    expect(operations).toEqual(
      expect.arrayContaining([
        "POST /v1/jobs",
        "GET /v1/jobs",
        "GET /v1/jobs/{id}",
        "POST /v1/jobs/{id}/cancel",
        "DELETE /v1/jobs/{id}",
        "GET /v1/jobs/{id}/output",
      ]),
    );

    // Opening an operation shows its schema, rendered from the zod schema the route validates with.
    await page.locator("#operations-jobs-createJob .opblock-summary").click();
    await page.locator("#operations-jobs-createJob .opblock-body").waitFor();
    await expect(page.locator("#operations-jobs-createJob").textContent()).resolves.toContain(
      "idempotency-key",
    );
    expect(errors, "no script errors or CSP refusals").toEqual([]);
    await page.close();
  });
});

describe("the queue dashboard at /admin/queues", () => {
  it("renders bull-board with every facegate queue, behind the admin key", async () => {
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    const response = await page.goto(`${t.url}/admin/queues`);
    expect(response?.status()).toBe(200);
    for (const queue of QUEUE_NAMES) {
      await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 20_000 });
    }
    const shown = (await page.locator("body").textContent()) ?? "";
    for (const queue of QUEUE_NAMES) expect(shown).toContain(queue);
    // The only refusal is bull-board's web font from an outside host, blocked on purpose by the CSP.
    expect(errors.filter((e) => !e.includes("fonts.googleapis.com"))).toEqual([]);
    await page.close();

    // Without the key there is a basic-auth challenge and nothing else.
    const anonymous = await fetch(`${t.url}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic /);
    const api = await fetch(`${t.url}/admin/queues/api/queues`);
    expect(api.status).toBe(401);
    const bearer = await fetch(`${t.url}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(bearer.status).toBe(200);
    const names = ((await bearer.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names.sort()).toEqual([...QUEUE_NAMES].sort());
  });
});
