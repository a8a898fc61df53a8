import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, scrubText } from "./index";

/** A logger whose lines are collected as parsed JSON and as raw text. */
function captured() {
  let text = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ level: "debug", destination });
  return {
    logger,
    text: () => text,
    last: () => JSON.parse(text.trim().split("\n").pop()!) as Record<string, any>,
  };
}

const PRESIGNED =
  "http://127.0.0.1:9000/bucket/outputs/acme/job_1/result.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abcdef0123456789";
const API_KEY = "fg_ZW0aW4gYSBsb2cgbGluZSBldmVyIGFnYWlu";
const SECRET = "whsec_c2VjcmV0IHRoYXQgbXVzdCBub3QgbGVhaw==";
const BASE64 = Buffer.alloc(600, 7).toString("base64");

describe("createLogger", () => {
  it("censors secret-named keys at any depth", () => {
    const log = captured();
    log.logger.info(
      {
        a: { b: { c: { d: { token: "t0ken-value", apiKey: "k3y-value", nested: [{ secret: "s3cret" }] } } } },
      },
      "deep",
    );
    expect(log.text()).not.toMatch(/t0ken-value|k3y-value|s3cret/);
    expect(log.last().a.b.c.d.token).toBe("[redacted]");
  });

  it("scrubs presigned URLs, keys and secrets out of free text", () => {
    const log = captured();
    log.logger.warn({ note: `fetched ${PRESIGNED} with ${API_KEY}`, list: [`secret ${SECRET}`] }, "text");
    expect(log.text()).not.toMatch(/X-Amz-Signature|X-Amz-Credential/);
    expect(log.text()).not.toContain(API_KEY);
    expect(log.text()).not.toContain(SECRET.slice(6));
    expect(log.last().note).toBe(
      "fetched http://127.0.0.1:9000/bucket/outputs/acme/job_1/result.jpg?[redacted] with fg_[redacted]",
    );
  });

  it("scrubs error messages, stacks, fields and causes", () => {
    const log = captured();
    const cause = Object.assign(
      new Error(`GET https://imageapi.example/v1/faceswap?token=aigs-token-1 failed`),
      {
        request: { headers: { authorization: `Bearer ${API_KEY}` } },
      },
    );
    const error = Object.assign(new Error(`upload to ${PRESIGNED} failed`, { cause }), {
      target: "https://user:hunter2@example.com/a.jpg",
    });
    log.logger.error({ err: error, jobId: "job_1" }, "store step failed");
    const line = log.last();
    expect(line.err.type).toBe("Error");
    expect(line.err.message).toContain(
      "upload to http://127.0.0.1:9000/bucket/outputs/acme/job_1/result.jpg?[redacted]",
    );
    expect(line.err.target).toBe("https://[redacted]@example.com/a.jpg");
    expect(log.text()).not.toMatch(/aigs-token-1|hunter2|X-Amz-Signature/);
    expect(log.text()).not.toContain(API_KEY);
    expect(line.jobId).toBe("job_1");
  });

  it("an error given as the only argument is scrubbed too", () => {
    const log = captured();
    log.logger.error(new Error(`bad key ${API_KEY}`));
    expect(log.text()).not.toContain(API_KEY);
    expect(log.last().err.message).toBe("bad key fg_[redacted]");
    log.logger.warn({ err: new Error(`bad key ${API_KEY}`) });
    expect(log.last().msg).toBe("bad key fg_[redacted]");
    expect(log.text()).not.toContain(API_KEY);
  });

  it("drops image bytes: buffers by length, base64 runs by a marker", () => {
    const log = captured();
    log.logger.debug({ upload: Buffer.alloc(10_000, 1), text: `data:image/png;base64,${BASE64}` }, "bytes");
    expect(log.last().upload).toBe("[10000 bytes]");
    expect(log.last().text).toBe("data:image/png;base64,[base64 redacted]");
    expect(log.text()).not.toContain(BASE64.slice(0, 100));
  });

  it("scrubs the message itself", () => {
    const log = captured();
    log.logger.info(`calling ${PRESIGNED}`);
    expect(log.last().msg).toBe(
      "calling http://127.0.0.1:9000/bucket/outputs/acme/job_1/result.jpg?[redacted]",
    );
  });

  it("keeps what is not secret as it was", () => {
    const log = captured();
    log.logger.info(
      { jobId: "job_0mwr6zeys067314bdd7110b32e8ea", status: 422, path: "/v1/jobs", ms: 12, ok: false },
      "request",
    );
    expect(log.last()).toMatchObject({
      jobId: "job_0mwr6zeys067314bdd7110b32e8ea",
      status: 422,
      path: "/v1/jobs",
      ms: 12,
      ok: false,
      msg: "request",
    });
  });
});

describe("scrubText", () => {
  it.each([
    ["https://h/p?a=1", "https://h/p?[redacted]"],
    ["redis://:pass@127.0.0.1:6379", "redis://[redacted]@127.0.0.1:6379"],
    ["Authorization: Bearer abcdefghijkl", "Authorization: Bearer [redacted]"],
    ["no secrets here: job_0mwr6 at /v1/jobs", "no secrets here: job_0mwr6 at /v1/jobs"],
  ])("%s", (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });
});
