import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { buildOpenApiDocument } from "@facegate/api/openapi";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generateTypes } from "../../examples/generated-client/generate";
import { startTestSystem, type TestSystem } from "../support/system";
import { TEST_KEYS } from "../support/test-env";

/**
 * A client generated from the document (openapi-typescript, openapi-fetch) type-checks a program
 * doing the README's first job, a batch and the downloads without a cast, and that program works
 * against a real facegate (its answers checked against the document like every other).
 */
const ROOT = join(import.meta.dirname, "..", "..");
const DIR = join(ROOT, "examples", "generated-client");

let t: TestSystem;
beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(async () => {
  await t?.close();
});

it("compiles and runs the first job, a batch and the downloads", async () => {
  await writeFile(join(DIR, "facegate-api.d.ts"), await generateTypes(buildOpenApiDocument()));
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const compiled = await promisify(execFile)(process.execPath, [tsc, "-p", DIR]).catch(
    (error: { stdout: string }) => ({ stdout: error.stdout, failed: true }),
  );
  expect(compiled.stdout).toBe("");

  const image = async (name: string) =>
    new Blob([await readFile(join(ROOT, "examples", name))], { type: "image/jpeg" });
  // Imported by path: it needs the generated types, which `npm run typecheck` must not.
  const { run } = await import(pathToFileURL(join(DIR, "first-job.ts")).href);
  const result = await run(t.url, TEST_KEYS.acme, await image("face.jpg"), await image("template.jpg"));
  expect(result.job.status).toBe("succeeded");
  expect([...result.image.subarray(0, 2)]).toEqual([0xff, 0xd8]);
  expect(result.queued.id).toMatch(/^job_/);
  expect(result.batch.counts.succeeded).toBe(2);
  expect(Buffer.from(result.zip.subarray(0, 2)).toString()).toBe("PK");
}, 90_000);
