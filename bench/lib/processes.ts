import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ENTRY_POINTS } from "../../scripts/build";

export const ROOT = join(import.meta.dirname, "..", "..");

/** The API's memory settings, as docker-compose.yml gives them (test/compose.test.ts keeps them equal). */
export const API_MEMORY_ENV = { NODE_OPTIONS: "--max-semi-space-size=2", MALLOC_ARENA_MAX: "2" };
const BUILT = new Map(
  Object.entries(ENTRY_POINTS).map(([name, source]) => [source as string, `dist/${name}.mjs`]),
);
const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface Child {
  child: ChildProcess;
  output(): string;
  /** CPU time (user + system) this process has used, in ms, read from /proc. */
  cpuMs(): number;
  /** Peak resident set size (VmHWM) since start or the last resetPeakRss(), in MiB. */
  peakRssMiB(): number;
  /** Start a new peak: VmHWM drops to the current RSS (Linux clear_refs "5"). */
  resetPeakRss(): void;
  stop(): Promise<void>;
}

/**
 * Run an entry point as its own process; resolves once `ready` appears in its output. facegate's
 * apps run from their built bundles (bench/run.ts builds first); other scripts through tsx.
 */
/** `apps/api/src/main.ts` → `api`, `bench/lib/io-floor.ts` → `io-floor`. */
const profileName = (file: string) =>
  file.startsWith("apps/") ? file.split("/")[1]! : basename(file).replace(/\.[cm]?ts$/, "");

export async function spawnEntry(
  file: string,
  env: Record<string, string>,
  ready: string | RegExp,
): Promise<Child> {
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of every process a benchmark starts, named for
  // its entry point (`api.<time>.cpuprofile`; summed up by scripts/cpu-profile.ts).
  const profile = process.env.BENCH_PROFILE
    ? [
        "--cpu-prof",
        `--cpu-prof-dir=${process.env.BENCH_PROFILE}`,
        `--cpu-prof-name=${profileName(file)}.${Date.now()}.cpuprofile`,
      ]
    : [];
  const built = BUILT.get(file);
  const entry = built ? [join(ROOT, built)] : ["--import", "tsx", join(ROOT, file)];
  const child = spawn(process.execPath, [...profile, ...entry], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (typeof ready === "string" ? out.includes(ready) : ready.test(out)) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${file} exited (${code}):\n${out}`)));
  });
  const pid = child.pid!;
  return {
    child,
    output: () => out,
    cpuMs() {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      // After the command name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
      return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    },
    peakRssMiB() {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return m ? Number(m[1]) / 1024 : Number.NaN;
    },
    resetPeakRss() {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      });
    },
  };
}

/** Env lines (`NAME=value`) a child printed, e.g. the simulator's credentials. */
export function envLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([A-Z][A-Z0-9_]+)=(\S+)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}
