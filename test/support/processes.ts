import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export interface ChildWorker {
  child: ChildProcess;
  output(): string;
  /** Resolves when the process said it started. */
  started: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A worker as its own process (`apps/worker/src/main.ts`), to be killed as a crash would. */
export function spawnWorker(env: Record<string, string>): ChildWorker {
  return spawnApp("apps/worker/src/main.ts", env, (out) => out.includes('"worker started"'));
}

/** An API process (`apps/api/src/main.ts`); started once it logs that it listens. */
export function spawnApi(env: Record<string, string>): ChildWorker {
  return spawnApp("apps/api/src/main.ts", env, (out) => out.includes('"api listening"'));
}

/** One of facegate's processes from its source; `started` resolves once `ready` holds for its output. */
export function spawnApp(
  entry: string,
  env: Record<string, string>,
  ready: (output: string) => boolean,
): ChildWorker {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: "info", LOG_PRETTY: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const started = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready(out)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${entry} exited (${code}) before starting:\n${out}`)));
  });
  started.catch(() => undefined);
  return {
    child,
    output: () => out,
    started,
    kill(signal = "SIGKILL") {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      });
    },
  };
}
