import type { RedisTarget } from "@facegate/config";
import { createRedis, freePort } from "@facegate/queue";
import { redisKeys } from "@facegate/records";
import { syntheticFace } from "@facegate/vendor-sim";
import { Redis } from "ioredis";
import { startRedisCluster } from "../test/support/redis-topologies";
import { countStatuses, submitJobs } from "./lib/load";
import { spawnEntry } from "./lib/processes";
import { type BenchResult, fmt } from "./lib/result";
import { startStack } from "./lib/stack";

const JOBS = 400;
const WARMUP = 50;
const CLIENTS = 8;

interface Run {
  jobsPerSecond: number;
  commandsPerJob: number;
  /** Share of the commands the busiest primary served. */
  busiestShare: number;
  statuses: Record<string, number>;
}

/**
 * The same job load through an API process and a worker process on one Redis node and on a
 * three-primary Redis Cluster, in the same run: jobs/s, and Redis commands per job from the
 * nodes' own counters (INFO commandstats before and after, summed over the primaries; commands
 * run inside scripts count, the benchmark's own INFO and polling are taken out).
 */
export default async function redisCluster(): Promise<BenchResult> {
  const stack = await startStack();
  const cluster = await startRedisCluster();
  try {
    const target = await syntheticFace({ hue: 20, width: 400, height: 500 });
    const template = await syntheticFace({ hue: 200, width: 400, height: 500 });
    const job = () => {
      const form = new FormData();
      form.set("operation", "face_fusion");
      form.set("vendor", "ailab");
      form.set("target", new Blob([new Uint8Array(target)], { type: "image/jpeg" }), "target.jpg");
      form.set("template", new Blob([new Uint8Array(template)], { type: "image/jpeg" }), "template.jpg");
      return { body: form };
    };
    const { REDIS_URL: singleUrl, ...common } = stack.env;
    const single = await measure(
      { ...common, REDIS_URL: singleUrl!, REDIS_PREFIX: "bsingle" },
      [stack.redis.port],
      job,
    );
    const clustered = await measure(
      { ...common, ...cluster.env, REDIS_PREFIX: "bcluster" },
      cluster.nodes.map((n) => n.port),
      job,
    );
    const placement = await slotPlacement(cluster.nodes[0]!.port, "bcluster");
    const row = (name: string, r: Run) => [
      { metric: `${name}: jobs/s`, value: fmt(r.jobsPerSecond) },
      { metric: `${name}: Redis commands per job`, value: fmt(r.commandsPerJob) },
      {
        metric: `${name}: share of commands on the busiest primary`,
        value: `${fmt(r.busiestShare * 100, 0)} %`,
      },
    ];
    return {
      name: "Redis: one node and a cluster",
      description: `${JOBS} face-fusion jobs (multipart, ${CLIENTS} clients, instant simulator, no rate limit) through an API process and a worker process, first on one redis-server, then on a Redis Cluster of three primaries on the same machine. Commands per job are the primaries' INFO commandstats deltas (commands inside scripts included).`,
      rows: [
        ...row("one node", single),
        ...row("cluster", clustered),
        {
          metric: "cluster jobs/s ÷ one node jobs/s",
          value: fmt(clustered.jobsPerSecond / single.jobsPerSecond, 2),
        },
      ],
      notes: [
        `Outcomes — one node: ${JSON.stringify(single.statuses)}; cluster: ${JSON.stringify(clustered.statuses)}.`,
        `Where the cluster put each hash tag (by primary): ${placement}.`,
        "All processes and Redis nodes share this machine's cores, so the cluster's figure shows its cost in commands and client work, not the capacity it adds across machines; the busiest primary's share shows how far the load spreads (a third would be even).",
      ],
    };
  } finally {
    await cluster.stop();
    await stack.stop();
  }
}

async function measure(
  env: Record<string, string>,
  ports: number[],
  job: () => { body: FormData },
): Promise<Run> {
  const port = String(await freePort());
  const api = await spawnEntry("apps/api/src/main.ts", { ...env, PORT: port }, "api listening");
  const worker = await spawnEntry(
    "apps/worker/src/main.ts",
    { ...env, VENDOR_CONCURRENCY: "32", AILAB_CONCURRENCY: "32" },
    "worker started",
  );
  const nodes = ports.map((p) => new Redis(p, "127.0.0.1"));
  const target: RedisTarget = env.REDIS_CLUSTER_NODES
    ? { mode: "cluster", nodes: ports.map((p) => ({ host: "127.0.0.1", port: p })) }
    : { mode: "single", url: env.REDIS_URL! };
  const client = createRedis(target, "worker", "facegate-bench");
  const open = redisKeys(env.REDIS_PREFIX!).tenantOpen("bench");
  // The benchmark's own commands on the nodes, taken out of the counts.
  let own = 0;
  const waitAllFinal = async () => {
    for (;;) {
      own += 1;
      if ((await client.zcard(open)) === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    const url = `http://127.0.0.1:${port}`;
    await submitJobs(url, WARMUP, CLIENTS, job);
    await waitAllFinal();
    const before = await Promise.all(nodes.map(commandCalls));
    own = 0;
    const started = performance.now();
    const ids = await submitJobs(url, JOBS, CLIENTS, job);
    await waitAllFinal();
    const seconds = (performance.now() - started) / 1000;
    const after = await Promise.all(nodes.map(commandCalls));
    const perNode = after.map((a, i) => a - before[i]!);
    const total = perNode.reduce((s, n) => s + n, 0) - own;
    const statuses = await countStatuses(
      env.REDIS_CLUSTER_NODES
        ? { mode: "cluster", nodes: ports.map((p) => ({ host: "127.0.0.1", port: p })) }
        : env.REDIS_URL!,
      ids,
      env.REDIS_PREFIX,
    );
    return {
      jobsPerSecond: JOBS / seconds,
      commandsPerJob: total / JOBS,
      busiestShare: Math.max(...perNode) / perNode.reduce((s, n) => s + n, 0),
      statuses,
    };
  } finally {
    for (const n of nodes) n.disconnect();
    client.disconnect();
    await worker.stop();
    await api.stop();
  }
}

/** Every command a node has run (INFO commandstats), less the INFO calls themselves. */
async function commandCalls(node: Redis): Promise<number> {
  const stats = await node.info("commandstats");
  let calls = 0;
  for (const m of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    if (m[1] !== "info") calls += Number(m[2]);
  return calls;
}

/** Which primary holds each of facegate's hash tags that the benchmark's jobs use. */
async function slotPlacement(port: number, prefix: string): Promise<string> {
  const node = new Redis(port, "127.0.0.1");
  try {
    const ranges = (await node.call("CLUSTER", "SLOTS")) as [number, number, [string, number]][];
    const tags = [
      "jobs",
      "usage:bench",
      "vendor-ailab",
      "store",
      "webhooks",
      "batches",
      "maintenance",
      "apikeys",
    ];
    const byNode = new Map<number, string[]>();
    for (const tag of tags) {
      const slot = Number(await node.call("CLUSTER", "KEYSLOT", `{${prefix}:${tag}}`));
      // Each primary by the first slot of its range (the ports are random; the ranges are not).
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to)![0];
      byNode.set(owner, [...(byNode.get(owner) ?? []), tag]);
    }
    return [...byNode.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, list], i) => `primary ${i + 1}: ${list.join(", ")}`)
      .join("; ");
  } finally {
    node.disconnect();
  }
}
