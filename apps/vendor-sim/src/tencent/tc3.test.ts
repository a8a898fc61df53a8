import { describe, expect, it } from "vitest";
import { signTc3 } from "../testing/tencent-client";
import {
  canonicalHeaders,
  canonicalRequest,
  parseAuthorization,
  sha256Hex,
  stringToSign,
  tc3Signature,
  utcDate,
} from "./tc3";

// The official worked example (docs/vendors.md, Tencent Cloud): a CVM DescribeInstances call.
const VECTOR = {
  secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
  service: "cvm",
  host: "cvm.tencentcloudapi.com",
  timestamp: 1551113065,
  contentType: "application/json; charset=utf-8",
  body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
};

describe("TC3-HMAC-SHA256", () => {
  it("reproduces the official test vector step by step", () => {
    expect(sha256Hex(VECTOR.body)).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
    const headers = canonicalHeaders(["content-type", "host"], (name) =>
      name === "host" ? VECTOR.host : VECTOR.contentType,
    );
    if (!headers.ok) throw new Error("headers missing");
    const canonical = canonicalRequest({
      method: "POST",
      uri: "/",
      query: "",
      headers: headers.text,
      signedHeaders: "content-type;host",
      payload: Buffer.from(VECTOR.body),
    });
    expect(sha256Hex(canonical)).toBe("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
    expect(utcDate(VECTOR.timestamp)).toBe("2019-02-25");
    const signature = tc3Signature(
      VECTOR.secretKey,
      "2019-02-25",
      VECTOR.service,
      stringToSign(VECTOR.timestamp, VECTOR.service, canonical),
    );
    expect(signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
  });

  it("agrees with the independent test signer on the same vector", () => {
    const authorization = signTc3({ ...VECTOR, secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE" });
    expect(authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
        "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
  });

  it("parses the Authorization header, with or without spaces after the commas", () => {
    const parsed = parseAuthorization(
      "TC3-HMAC-SHA256 Credential=AKIDx/2019-02-25/facefusion/tc3_request,SignedHeaders=content-type;host;x-tc-action,Signature=ABCDEF01",
    );
    expect(parsed).toEqual({
      secretId: "AKIDx",
      date: "2019-02-25",
      service: "facefusion",
      terminator: "tc3_request",
      signedHeaders: ["content-type", "host", "x-tc-action"],
      signature: "ABCDEF01",
    });
    expect(parseAuthorization("Bearer abc")).toBeNull();
    expect(
      parseAuthorization("TC3-HMAC-SHA256 Credential=AKIDx/2019-02-25/facefusion, Signature=ab"),
    ).toBeNull();
  });

  it("reports a signed header the request lacks", () => {
    expect(canonicalHeaders(["content-type", "host"], (n) => (n === "host" ? "h" : undefined))).toEqual({
      ok: false,
      missing: "content-type",
    });
  });
});
