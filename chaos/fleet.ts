import { freePort } from "@facegate/queue";
import { type Child, spawnEntry } from "../bench/lib/processes";

/** One facegate process of the run (from its built bundle), restartable under the same name. */
export interface Member {
  name: string;
  /** The API's base URL (APIs only). */
  url?: string;
  alive(): boolean;
  /** SIGKILL (a crash) or SIGTERM (a deploy's stop: finishes or hands back its work), then start again. */
  restart(signal: "SIGKILL" | "SIGTERM"): Promise<void>;
  stop(): Promise<void>;
}

async function member(
  name: string,
  entry: string,
  env: Record<string, string>,
  ready: string,
  url?: string,
): Promise<Member> {
  let child: Child | undefined = await spawnEntry(entry, env, ready);
  const stopWith = async (signal: "SIGKILL" | "SIGTERM") => {
    const current = child;
    child = undefined;
    if (!current) return;
    if (signal === "SIGTERM") return current.stop();
    await new Promise<void>((resolve) => {
      if (current.child.exitCode !== null || current.child.signalCode !== null) return resolve();
      current.child.once("exit", () => resolve());
      current.child.kill("SIGKILL");
    });
  };
  return {
    name,
    url,
    alive: () => child !== undefined,
    async restart(signal) {
      await stopWith(signal);
      child = await spawnEntry(entry, env, ready);
    },
    stop: () => stopWith("SIGTERM"),
  };
}

export interface Fleet {
  apis: Member[];
  workers: Member[];
  stop(): Promise<void>;
}

/** The API and worker processes, each on its own, as production runs them. */
export async function startFleet(env: Record<string, string>, apis: number, workers: number): Promise<Fleet> {
  const fleet: Fleet = { apis: [], workers: [], stop: async () => {} };
  for (let i = 0; i < apis; i++) {
    const port = await freePort();
    fleet.apis.push(
      await member(
        `api-${i + 1}`,
        "apps/api/src/main.ts",
        { ...env, PORT: String(port) },
        "api listening",
        `http://127.0.0.1:${port}`,
      ),
    );
  }
  for (let i = 0; i < workers; i++) {
    fleet.workers.push(await member(`worker-${i + 1}`, "apps/worker/src/main.ts", env, "worker started"));
  }
  fleet.stop = async () => {
    await Promise.all([...fleet.apis, ...fleet.workers].map((m) => m.stop()));
  };
  return fleet;
}
