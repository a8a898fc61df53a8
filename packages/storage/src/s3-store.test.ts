import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedS3, startEmbeddedS3 } from "./embedded-s3";
import { keys, objectKey } from "./keys";
import { ObjectNotFoundError } from "./object-store";
import { S3Store } from "./s3-store";

let dir: string;
let s3: EmbeddedS3;
let store: S3Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "fg-s3-"));
  s3 = await startEmbeddedS3({ directory: dir });
  store = new S3Store({ ...s3, region: "us-east-1", bucket: "store-test", forcePathStyle: true });
  await store.ensureBucket();
});

afterAll(async () => {
  store.destroy();
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("S3Store against an S3-compatible server", () => {
  it("puts, heads, gets and deletes", async () => {
    await store.put("a/b.bin", Buffer.from("hello"), { contentType: "text/plain", metadata: { sha: "x" } });
    expect(await store.head("a/b.bin")).toMatchObject({
      bytes: 5,
      contentType: "text/plain",
      metadata: { sha: "x" },
    });
    expect((await store.get("a/b.bin")).toString()).toBe("hello");
    await store.delete(["a/b.bin"]);
    expect(await store.head("a/b.bin")).toBeUndefined();
    await expect(store.get("a/b.bin")).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it("uploads a stream of unknown length in parts", async () => {
    const part = Buffer.alloc(1024 * 1024, 7);
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 12; i++) yield part;
      })(),
    );
    const { bytes } = await store.upload("big/file.bin", body, { contentType: "application/octet-stream" });
    expect(bytes).toBe(12 * 1024 * 1024);
    expect((await store.head("big/file.bin"))?.bytes).toBe(12 * 1024 * 1024);
    const slice = await store.getStream("big/file.bin", { start: 10, end: 19 });
    const chunks: Buffer[] = [];
    for await (const c of slice) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(Buffer.alloc(10, 7));
  });

  it("deletes a prefix and serves presigned URLs", async () => {
    await store.put("job/1/x", Buffer.from("1"), { contentType: "text/plain" });
    await store.put("job/1/y", Buffer.from("2"), { contentType: "text/plain" });
    await store.put("job/10/z", Buffer.from("3"), { contentType: "text/plain" });
    const url = await store.presignGet("job/10/z", 60);
    expect(await (await fetch(url)).text()).toBe("3");
    expect(await store.deletePrefix("job/1")).toBe(2);
    expect(await store.head("job/10/z")).toBeDefined();
  });
});

describe("presigned links", () => {
  it("carry the public endpoint when one is set, and one object's signature with an expiry", async () => {
    const publicStore = new S3Store({
      ...s3,
      region: "us-east-1",
      bucket: "store-test",
      forcePathStyle: true,
      publicEndpoint: "https://files.example.com",
    });
    const url = new URL(await publicStore.presignGet("job/10/z", 120, { filename: "a b.jpg" }));
    expect(url.origin).toBe("https://files.example.com");
    expect(url.pathname).toBe("/store-test/job/10/z");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("120");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get("response-content-disposition")).toBe('inline; filename="a_b.jpg"');
    publicStore.destroy();
  });
});

describe("objectKey", () => {
  it("refuses parts that could climb out", () => {
    expect(keys.input("acme", "job_1", "target")).toBe("inputs/acme/job_1/target");
    for (const bad of ["..", "a/b", "", "../x", ".hidden", "a\\b", "x..y"]) {
      expect(() => objectKey("inputs", bad)).toThrow(/unsafe/);
    }
  });
});
