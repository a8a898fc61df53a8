import { type Config, configuredVendors } from "@facegate/config";
import type { VendorId } from "@facegate/core";
import type { AdapterOptions } from "./adapter-options";
import { createAigsAdapter } from "./aigs/adapter";
import { createAilabAdapter } from "./ailab/adapter";
import { createLocalAdapter } from "./local/adapter";
import { createTencentAdapter } from "./tencent/adapter";
import type { VendorAdapter } from "./types";

type VendorsConfig = Config["vendors"];

type AdapterFactory = (config: VendorsConfig, options?: AdapterOptions) => VendorAdapter;

/** Vendor id → factory: the one place a new vendor is plugged in. */
const ADAPTER_FACTORIES: Record<VendorId, AdapterFactory> = {
  ailab: createAilabAdapter,
  aigs: createAigsAdapter,
  tencent: createTencentAdapter,
  local: createLocalAdapter,
};

/**
 * An adapter for every configured vendor (`configuredVendors`: those with credentials, in
 * preference order then the rest; a vendor left out of VENDOR_PREFERENCE is not picked by "auto"
 * but can still be asked for by name).
 */
export function createAdapters(
  config: VendorsConfig,
  options?: AdapterOptions,
): Map<VendorId, VendorAdapter> {
  return new Map(configuredVendors(config).map((id) => [id, ADAPTER_FACTORIES[id](config, options)]));
}

/** Close every adapter's connection pool (graceful shutdown). */
export async function closeAdapters(adapters: Map<VendorId, VendorAdapter>): Promise<void> {
  await Promise.all([...adapters.values()].map((a) => a.close?.()));
}
