import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { takeFindings, watchApi } from "../support/api-responses";
import { conformanceFindings, type SeenResponse } from "../support/conformance";

/** The checks every API answer in the suite goes through (test/support/setup-api-responses.ts). */

const ID = "job_0000000000000000000000000000x";
const BASE = {
  "x-request-id": "0123456789",
  ratelimit: '"100-in-1min"; r=99; t=60',
  "ratelimit-policy": '"100-in-1min"; q=100; w=60',
};
const problem = (status: number, code: string) =>
  Buffer.from(JSON.stringify({ type: "t", title: "x", status, code, detail: "d" }));
const seen = (over: Partial<SeenResponse>): SeenResponse => ({
  method: "GET",
  path: `/v1/jobs/${ID}`,
  status: 404,
  headers: { ...BASE, "content-type": "application/problem+json" },
  body: problem(404, "not_found"),
  bodyBytes: 10,
  ...over,
});

describe("an answer checked against the document", () => {
  it("passes when declared", () => {
    expect(conformanceFindings(seen({}))).toEqual([]);
  });

  it("names an undeclared status, its operation and where to declare it", () => {
    const [finding] = conformanceFindings(seen({ status: 418, body: problem(418, "teapot") }));
    expect(finding).toMatch(
      /GET \/v1\/jobs\/job_\w+ answered 418 \(operation getJob, GET \/v1\/jobs\/\{id\}\)/,
    );
    expect(finding).toMatch(/code "teapot".*status 418 is not declared.*apps\/api\/src\/openapi\/paths/);
  });

  it("finds a missing required header and an undeclared one", () => {
    const findings = conformanceFindings(
      seen({ headers: { "content-type": "application/problem+json", "x-secret-sauce": "1" } }),
    );
    expect(findings).toEqual([
      expect.stringMatching(/required header x-request-id is missing/),
      expect.stringMatching(/header x-secret-sauce is sent but not declared/),
    ]);
  });

  it("finds a body off its schema, and an undeclared media type", () => {
    expect(conformanceFindings(seen({ body: Buffer.from('{"status":"x"}') }))).toEqual([
      expect.stringMatching(/does not match its schema.*must have required property/),
    ]);
    expect(
      conformanceFindings(
        seen({ status: 200, headers: { ...BASE, "content-type": "text/plain" }, body: undefined }),
      ),
    ).toEqual([expect.stringMatching(/a text\/plain body is not declared/)]);
  });

  it("finds an answer on a path the document lacks, but leaves self-serving apps alone", () => {
    expect(conformanceFindings(seen({ path: "/v1/gadgets", status: 200 }))).toEqual([
      expect.stringMatching(/no operation for GET \/v1\/gadgets/),
    ]);
    expect(conformanceFindings(seen({ path: "/v1/gadgets" }))).toEqual([]);
    expect(conformanceFindings(seen({ path: "/docs/swagger-ui.css", status: 200 }))).toEqual([]);
  });
});

describe("the hook on fetch", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // A server pretending to be the API, answering what the document does not declare.
    server = createServer((_req, res) => {
      res.writeHead(418, { "content-type": "application/problem+json", "x-request-id": "0123456789" });
      res.end(problem(418, "teapot"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sees the answers of watched origins only", async () => {
    await (await fetch(`${url}/v1/jobs/${ID}`)).text();
    expect(takeFindings()).toEqual([]);
    watchApi(url);
    await (await fetch(`${url}/v1/jobs/${ID}`)).text();
    // Taken here, so that this deliberate finding does not fail the test.
    expect(takeFindings()).toEqual([expect.stringMatching(/answered 418 .*status 418 is not declared/)]);
  });
});
