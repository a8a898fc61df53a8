/** How big and how rough a chaos run is. Every field has an env variable (and a --flag). */
export interface ChaosOptions {
  /** `kill`: SIGKILL crashes. `term`: SIGTERM rolling restarts (a deploy). */
  mode: "kill" | "term";
  /** Single jobs submitted (CHAOS_JOBS). */
  jobs: number;
  /** Batches (CHAOS_BATCHES) of CHAOS_BATCH_SIZE items. */
  batches: number;
  batchSize: number;
  apis: number;
  workers: number;
  /** A worker is stopped and started again this often (CHAOS_KILL_EVERY_MS). */
  killEveryMs: number;
  /** Stop and restart one API process once (CHAOS_API_KILL=0 to skip). */
  apiKill: boolean;
  /** Stop and restart Redis once (CHAOS_REDIS_KILL=0 to skip). */
  redisKill: boolean;
  /** Where Redis runs (CHAOS_REDIS): see topology.ts. */
  redis: string;
  /** Submitters working at once. */
  concurrency: number;
  /** Longest wait for every job to finish after the last kill. */
  drainTimeoutMs: number;
  /** JOB_LOCK_MS of the workers. */
  lockMs: number;
  /** Billable calls the second tenant may make (0: no budget). */
  budget: number;
}

const FLAGS: Record<string, keyof ChaosOptions> = {
  mode: "mode",
  jobs: "jobs",
  batches: "batches",
  "batch-size": "batchSize",
  apis: "apis",
  workers: "workers",
  "kill-every-ms": "killEveryMs",
  "api-kill": "apiKill",
  "redis-kill": "redisKill",
  redis: "redis",
  concurrency: "concurrency",
  "drain-timeout-ms": "drainTimeoutMs",
  "lock-ms": "lockMs",
  budget: "budget",
};

export const FULL: ChaosOptions = {
  mode: "kill",
  jobs: 600,
  batches: 3,
  batchSize: 20,
  apis: 2,
  workers: 3,
  killEveryMs: 3_000,
  apiKill: true,
  redisKill: true,
  redis: "single",
  concurrency: 8,
  drainTimeoutMs: 120_000,
  lockMs: 4_000,
  budget: 0,
};

/** Options from `CHAOS_*` variables and `--name=value` flags (flags win) over `base`. */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv, base: ChaosOptions = FULL): ChaosOptions {
  const options: ChaosOptions = { ...base };
  const set = (field: keyof ChaosOptions, raw: string) => {
    const current = options[field];
    const value =
      typeof current === "number"
        ? Number(raw)
        : typeof current === "boolean"
          ? raw !== "0" && raw !== "false"
          : raw;
    if (typeof value === "number" && !Number.isFinite(value))
      throw new Error(`${field}: not a number: ${raw}`);
    (options as unknown as Record<string, unknown>)[field] = value;
  };
  for (const [flag, field] of Object.entries(FLAGS)) {
    const name = `CHAOS_${flag.replace(/-/g, "_").toUpperCase()}`;
    if (env[name]) set(field, env[name]!);
  }
  for (const arg of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    const field = m ? FLAGS[m[1]!] : undefined;
    if (!m || !field) throw new Error(`unknown argument ${arg} (flags: ${Object.keys(FLAGS).join(", ")})`);
    set(field, m[2]!);
  }
  if (options.mode !== "kill" && options.mode !== "term") throw new Error("mode: kill or term");
  return options;
}
