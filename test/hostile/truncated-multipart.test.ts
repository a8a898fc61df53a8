import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import { face } from "../support/images";
import { startTestSystem, type TestSystem } from "../support/system";
import { TEST_KEYS } from "../support/test-env";
import { expectNormalJobSucceeds, expectProblem, expectUnharmed, rawRequest } from "./support";

/*
 * A multipart body that ends inside a file part, before its closing boundary: the parser fails
 * the part's own stream as well as itself. Each is a 400 `malformed_multipart`, the process
 * keeps serving, nothing is left in S3, and a normal job still goes through afterwards.
 */

let t: TestSystem;
let jpeg: Buffer;

beforeAll(async () => {
  t = await startTestSystem();
  jpeg = await face(40);
});
afterEach(() => expectUnharmed(t));
afterAll(async () => {
  await t?.close();
});

const field = (name: string, value: string) =>
  `--xyz\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
/** A file part's head and `bytes` bytes of a JPEG, and then nothing: no closing boundary. */
const cutFile = (name: string, bytes: number, filename = "a.jpg") =>
  Buffer.concat([
    Buffer.from(
      `--xyz\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    jpeg.subarray(0, bytes),
  ]);

const send = (path: string, body: Buffer) =>
  rawRequest(t.url, {
    method: "POST",
    path,
    headers: {
      authorization: `Bearer ${TEST_KEYS.acme}`,
      "content-type": "multipart/form-data; boundary=xyz",
      "content-length": String(body.length),
    },
    body,
  });

describe("a file part cut off before its closing boundary", () => {
  const cases: [string, string, () => Buffer][] = [
    ["a job's target", "/v1/jobs", () => cutFile("target", 500)],
    ["a job's template", "/v1/jobs", () => cutFile("template", 500)],
    [
      "a job's target after text fields",
      "/v1/jobs",
      () =>
        Buffer.concat([
          Buffer.from(field("operation", "face_fusion") + field("vendor", "ailab")),
          cutFile("target", 500),
        ]),
    ],
    ["a job's whole target, without its boundary", "/v1/jobs", () => cutFile("target", jpeg.length)],
    ["a batch's targets", "/v1/batches", () => cutFile("targets", 500)],
    ["a batch's archive", "/v1/batches", () => cutFile("archive", 500, "a.zip")],
    ["a batch's manifest", "/v1/batches", () => cutFile("manifest", 500, "m.csv")],
    ["a batch's template", "/v1/batches", () => cutFile("template", 500)],
    [
      "a batch's targets after a text field",
      "/v1/batches",
      () => Buffer.concat([Buffer.from(field("operation", "face_fusion")), cutFile("targets", 500)]),
    ],
    [
      "a batch's second target, after a whole first one",
      "/v1/batches",
      () =>
        Buffer.concat([
          Buffer.from(
            '--xyz\r\nContent-Disposition: form-data; name="targets"; filename="1.jpg"\r\nContent-Type: image/jpeg\r\n\r\n',
          ),
          jpeg,
          Buffer.from("\r\n"),
          cutFile("targets", 500),
        ]),
    ],
  ];
  for (const [name, path, body] of cases) {
    it(name, async () => {
      await expectProblem(await send(path, body()), 400, "malformed_multipart");
    });
  }

  it("a normal job still succeeds afterwards", async () => {
    await expectNormalJobSucceeds(t, jpeg, await face(220));
  });
});
