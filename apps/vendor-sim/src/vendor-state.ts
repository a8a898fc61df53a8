import { latencyFor, Prng, rollFault } from "./faults";
import { RateWindow } from "./rate-window";
import {
  DEFAULT_CONFIG,
  FAULT_KINDS,
  type FaultKind,
  parseVendorPatch,
  type ScriptEntry,
  type VendorConfig,
  type VendorConfigPatch,
  type VendorId,
} from "./vendor-config";

/** A snapshot of one vendor's state, as `GET /_sim/config/:vendor` shows it. */
export interface VendorStateSnapshot extends VendorConfig {
  credits: Record<string, number>;
  script: ScriptEntry[];
}

export interface VendorStateInit {
  vendor: VendorId;
  /** Options given at start; `reset()` returns to them. */
  initial: VendorConfigPatch;
  seed: number;
  /** Known credentials (key, token or SecretId) in order, for their public labels. */
  credentials: readonly string[];
  /** Label prefix, e.g. "token" gives "token#1". */
  labelPrefix: string;
  /** Throws when a scripted code is not one of the vendor's documented codes. */
  checkCode: (code: string) => void;
}

/**
 * Everything mutable about one simulated vendor: configuration, rate windows, remaining
 * credits, the script queue and the random generator.
 */
export class VendorState {
  readonly vendor: VendorId;
  private config: VendorConfig = structuredClone(DEFAULT_CONFIG.ailab);
  private readonly window = new RateWindow();
  private credits = new Map<string, number>();
  private script: ScriptEntry[] = [];
  private rng: Prng;
  private readonly labels: Map<string, string>;

  constructor(private readonly init: VendorStateInit) {
    this.vendor = init.vendor;
    this.rng = new Prng(init.seed);
    this.labels = new Map(init.credentials.map((c, i) => [c, `${init.labelPrefix}#${i + 1}`]));
    this.reset();
  }

  configure(patch: VendorConfigPatch): void {
    const parsed = parseVendorPatch(patch);
    for (const entry of parsed.script ?? []) if ("code" in entry) this.init.checkCode(entry.code);
    const faults = { ...this.config.faults, ...parsed.faults };
    const total = FAULT_KINDS.reduce((sum, kind) => sum + faults[kind], 0);
    if (total > 1 + 1e-9)
      throw new Error(`invalid vendor-sim configuration: fault shares add up to ${total} > 1`);

    if (parsed.rateLimitPerSecond !== undefined) this.config.rateLimitPerSecond = parsed.rateLimitPerSecond;
    if (parsed.latencyMs !== undefined) this.config.latencyMs = parsed.latencyMs;
    if (parsed.latencyJitterMs !== undefined) this.config.latencyJitterMs = parsed.latencyJitterMs;
    if (parsed.urlLifetimeMs !== undefined) this.config.urlLifetimeMs = parsed.urlLifetimeMs;
    this.config.faults = faults;
    for (const [credential, remaining] of Object.entries(parsed.credits ?? {})) {
      if (remaining === null) this.credits.delete(credential);
      else this.credits.set(credential, remaining);
    }
    if (parsed.script) this.script = [...parsed.script];
    if (parsed.seed !== undefined) this.rng = new Prng(parsed.seed);
  }

  /** Back to the start options: config, credits, script, rate windows and random sequence. */
  reset(): void {
    this.config = structuredClone(DEFAULT_CONFIG[this.vendor]);
    this.credits.clear();
    this.script = [];
    this.window.clear();
    this.rng = new Prng(this.init.seed);
    this.configure(this.init.initial);
  }

  snapshot(): VendorStateSnapshot {
    return {
      ...structuredClone(this.config),
      credits: Object.fromEntries(this.credits),
      script: structuredClone(this.script),
    };
  }

  get urlLifetimeMs(): number {
    return this.config.urlLifetimeMs;
  }

  get rateLimitPerSecond(): number | null {
    return this.config.rateLimitPerSecond;
  }

  /** Public label of a presented credential: "key#1" when known, "unknown" or "none" otherwise. */
  label(credential: string | undefined): string {
    if (!credential) return "none";
    return this.labels.get(credential) ?? "unknown";
  }

  isKnown(credential: string): boolean {
    return this.labels.has(credential);
  }

  takeScript(): ScriptEntry | undefined {
    return this.script.shift();
  }

  tryAcquire(credential: string, now: number): boolean {
    return this.window.tryAcquire(credential, this.config.rateLimitPerSecond, now);
  }

  hasCredits(credential: string, cost: number): boolean {
    const remaining = this.credits.get(credential);
    return remaining === undefined || remaining >= cost;
  }

  /** Bills a successful call (vendors charge for results, not for refusals). */
  charge(credential: string, cost: number): void {
    const remaining = this.credits.get(credential);
    if (remaining !== undefined) this.credits.set(credential, Math.max(0, remaining - cost));
  }

  rollFault(): FaultKind | null {
    return rollFault(this.config.faults, this.rng);
  }

  latencyMs(): number {
    return latencyFor(this.config.latencyMs, this.config.latencyJitterMs, this.rng);
  }

  get random(): Prng {
    return this.rng;
  }
}
