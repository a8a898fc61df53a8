import { autoVendors, type Config, configuredVendors, loadConfig, vendorPace } from "@facegate/config";
import { OPERATIONS, VENDORS, type VendorId, vendorsFor } from "@facegate/core";
import { closeAdapters, createAdapters } from "@facegate/vendors";
import { describe, expect, it } from "vitest";
import { vendorCandidates } from "./dispatch";
import { checkJobSpec, SpecError } from "./job-spec";

const base = {
  REDIS_URL: "redis://127.0.0.1:6379",
  S3_BUCKET: "facegate",
  S3_ACCESS_KEY_ID: "id",
  S3_SECRET_ACCESS_KEY: "secret",
};

/** Servers that differ in which vendors have credentials and which VENDOR_PREFERENCE names. */
const servers: Record<string, Record<string, string>> = {
  "no vendor account": {},
  "AILab only": { AILAB_API_KEY: "k" },
  "ai-gs with credentials but left out of the preference": {
    AIGS_TOKENS: "a,b",
    AILAB_API_KEY: "k",
    VENDOR_PREFERENCE: "ailab",
  },
  "every vendor, local preferred": {
    AILAB_API_KEY: "k",
    AIGS_TOKENS: "a",
    TENCENT_SECRET_ID: "id",
    TENCENT_SECRET_KEY: "key",
    TENCENT_PROJECT_ID: "at_1",
    TENCENT_MODEL_ID: "mt_1",
    VENDOR_PREFERENCE: "local,tencent,aigs,ailab",
  },
};

/** Whether a request naming this vendor (or `auto`) passes the vendor check. */
function offered(config: Config, vendor: VendorId | "auto", operation = "face_fusion" as const): boolean {
  try {
    checkJobSpec(config, operation, vendor, { target: true, template: true, merges: false }, {});
    return true;
  } catch (error) {
    if (error instanceof SpecError && error.code === "vendor_not_configured") return false;
    return true; // refused for its params or inputs: the vendor itself was offered
  }
}

describe.each(Object.entries(servers))("which vendors a server has: %s", (_name, env) => {
  const config = loadConfig({ ...base, ...env });
  const configured = configuredVendors(config.vendors);

  it("the adapter registry creates exactly the configured vendors, in the same order", async () => {
    const adapters = createAdapters(config.vendors);
    try {
      expect([...adapters.keys()]).toEqual(configured);
    } finally {
      await closeAdapters(adapters);
    }
  });

  it("a request may name exactly the configured vendors", () => {
    for (const vendor of VENDORS) expect(offered(config, vendor), vendor).toBe(configured.includes(vendor));
  });

  it("auto picks from the configured vendors VENDOR_PREFERENCE names, in its order", () => {
    const auto = autoVendors(config.vendors);
    expect(auto).toEqual(config.vendors.preference.filter((v) => configured.includes(v)));
    for (const operation of OPERATIONS) {
      expect(vendorCandidates(config, operation, "auto")).toEqual(
        auto.filter((v) => vendorsFor(operation).includes(v)),
      );
    }
    expect(offered(config, "auto")).toBe(auto.some((v) => vendorsFor("face_fusion").includes(v)));
  });

  it("every configured vendor can be paced and run by the worker", () => {
    for (const vendor of configured) {
      const pace = vendorPace(config.vendors, vendor);
      expect(pace.rps, vendor).toBeGreaterThanOrEqual(0);
      expect(pace.concurrency, vendor).toBeGreaterThanOrEqual(1);
    }
  });
});
