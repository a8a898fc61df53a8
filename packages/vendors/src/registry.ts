import type { Config } from "@facegate/config";
import { VENDORS, type VendorId } from "@facegate/core";
import type { AdapterOptions } from "./adapter-options";
import { createAigsAdapter } from "./aigs/adapter";
import { createAilabAdapter } from "./ailab/adapter";
import { createLocalAdapter } from "./local/adapter";
import { createTencentAdapter } from "./tencent/adapter";
import type { VendorAdapter } from "./types";

type VendorsConfig = Config["vendors"];

export interface AdapterFactory {
  /** Whether the config holds this vendor's credentials. */
  configured(config: VendorsConfig): boolean;
  create(config: VendorsConfig, options?: AdapterOptions): VendorAdapter;
}

/** Vendor id → factory: the one place a new vendor is plugged in. */
export const ADAPTER_FACTORIES: Record<VendorId, AdapterFactory> = {
  ailab: { configured: (c) => Boolean(c.ailab.apiKey), create: createAilabAdapter },
  aigs: { configured: (c) => c.aigs.tokens.length > 0, create: createAigsAdapter },
  tencent: {
    configured: (c) => Boolean(c.tencent.secretId && c.tencent.secretKey),
    create: createTencentAdapter,
  },
  // Needs no account: always there, but `auto` uses it only when VENDOR_PREFERENCE names it.
  local: { configured: () => true, create: createLocalAdapter },
};

/**
 * An adapter for every vendor with credentials, in preference order then the rest (a vendor left
 * out of VENDOR_PREFERENCE is not picked by "auto" but can still be asked for by name).
 */
export function createAdapters(
  config: VendorsConfig,
  options?: AdapterOptions,
): Map<VendorId, VendorAdapter> {
  const order = [...new Set<VendorId>([...config.preference, ...VENDORS])];
  const adapters = new Map<VendorId, VendorAdapter>();
  for (const id of order) {
    const factory = ADAPTER_FACTORIES[id];
    if (factory.configured(config)) adapters.set(id, factory.create(config, options));
  }
  return adapters;
}

/** Close every adapter's connection pool (graceful shutdown). */
export async function closeAdapters(adapters: Map<VendorId, VendorAdapter>): Promise<void> {
  await Promise.all([...adapters.values()].map((a) => a.close?.()));
}
