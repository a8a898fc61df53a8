import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { tc3Sign, utcDate } from "./sign";

/** The official worked example (docs/vendors.md, Tencent Cloud; Tencent Cloud API 3.0 "Signature v3" page). */
const EXAMPLE = {
  secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
  secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
  service: "cvm",
  host: "cvm.tencentcloudapi.com",
  timestamp: 1551113065,
  contentType: "application/json; charset=utf-8",
  // Byte for byte as in the doc, including the \u escapes and the spaces after separators.
  payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  action: "DescribeInstances",
  version: "2017-03-12",
  region: "ap-guangzhou",
};

describe("tc3Sign, official worked example", () => {
  const signed = tc3Sign(EXAMPLE);

  it("hashes the payload", () => {
    expect(signed.hashedPayload).toBe("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
  });

  it("builds the canonical request", () => {
    expect(signed.canonicalRequest).toBe(
      [
        "POST",
        "/",
        "",
        "content-type:application/json; charset=utf-8",
        "host:cvm.tencentcloudapi.com",
        "",
        "content-type;host",
        "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
      ].join("\n"),
    );
    expect(signed.stringToSign).toBe(
      [
        "TC3-HMAC-SHA256",
        "1551113065",
        "2019-02-25/cvm/tc3_request",
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031",
      ].join("\n"),
    );
  });

  it("signs it", () => {
    expect(signed.signature).toBe("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
    expect(signed.headers.Authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
        "SignedHeaders=content-type;host, " +
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
    );
  });

  it("returns the headers the request must carry", () => {
    expect(signed.headers).toMatchObject({
      "Content-Type": "application/json; charset=utf-8",
      Host: "cvm.tencentcloudapi.com",
      "X-TC-Action": "DescribeInstances",
      "X-TC-Timestamp": "1551113065",
      "X-TC-Version": "2017-03-12",
      "X-TC-Region": "ap-guangzhou",
    });
    expect(signed.headers["X-TC-Token"]).toBeUndefined();
    expect(tc3Sign({ ...EXAMPLE, token: "session" }).headers["X-TC-Token"]).toBe("session");
  });

  it("scopes to the UTC date, whatever the local time zone", () => {
    expect(utcDate(1551113065)).toBe("2019-02-25");
    expect(utcDate(1551139199)).toBe("2019-02-25"); // 23:59:59 UTC
    expect(utcDate(1551139200)).toBe("2019-02-26");
  });
});

describe("tc3Sign against the official tencentcloud-sdk-nodejs-common signer", () => {
  // The SDK ships CommonJS without an exports map; its signer is the class behind `Sign.sign3`.
  const require = createRequire(import.meta.url);
  const Sign = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js").default as {
    sign3(options: Record<string, unknown>): string;
  };

  const body = {
    ProjectId: "at_1603326187690926080",
    ModelId: "mt_1603586676924403712",
    RspImgType: "url",
    MergeInfos: [{ Image: "/9j/4AAQSkZJRgABAQ==", TemplateFaceID: "mt_1603586676924403712_1" }],
    FuseFaceDegree: 50,
    LogoAdd: 1,
  };

  it.each([1_700_000_000, 1_767_225_599, 1_767_225_600])(
    "produces the same Authorization for the same FuseFace request (t=%i)",
    (timestamp) => {
      const payload = Buffer.from(JSON.stringify(body));
      const ours = tc3Sign({
        secretId: "AKIDexampleSecretId",
        secretKey: "exampleSecretKey",
        service: "facefusion",
        host: "facefusion.tencentcloudapi.com",
        timestamp,
        contentType: "application/json",
        payload,
        action: "FuseFace",
        version: "2022-09-27",
        region: "ap-guangzhou",
      });
      const theirs = Sign.sign3({
        method: "POST",
        url: "https://facefusion.tencentcloudapi.com/",
        payload: body, // the SDK serialises the object itself, as it does when it sends it
        timestamp,
        service: "facefusion",
        secretId: "AKIDexampleSecretId",
        secretKey: "exampleSecretKey",
        multipart: false,
        boundary: undefined,
        headers: { "Content-Type": "application/json" },
      });
      expect(ours.headers.Authorization).toBe(theirs);
    },
  );
});
