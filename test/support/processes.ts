import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

export interface ChildWorker {
  child: ChildProcess;
  output(): string;
  /** Resolves when the worker logged that it started. */
  started: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A worker as its own process (`apps/worker/src/main.ts`), to be killed as a crash would. */
export function spawnWorker(env: Record<string, string>): ChildWorker {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "apps/worker/src/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: "info", LOG_PRETTY: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const started = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('"worker started"')) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before starting:\n${out}`)));
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
