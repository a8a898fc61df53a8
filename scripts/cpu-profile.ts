/**
 * Where a process's CPU went, by kind of work, from V8 CPU profiles (`BENCH_PROFILE=<dir> npm run
 * bench -- overhead` writes one per process): `npx tsx scripts/cpu-profile.ts [--skip-s N] <file>…`.
 * Each sample's time goes to the first frame, from the sampled one up its stack, that belongs to
 * a known package; samples in node's own internals with no such frame above them (socket writes
 * and promise jobs resumed from the event loop, JSON, our own code) are "the rest". The first
 * `--skip-s` seconds (start-up: module loading) are left out. Figures in docs/performance.md.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const KINDS: [string, RegExp][] = [
  ["S3 client (AWS SDK)", /@smithy|@aws-sdk|@aws-crypto|fast-xml-parser/],
  ["vendor HTTP (undici)", /undici/],
  ["Redis client (ioredis)", /ioredis|redis-parser|cluster-key-slot|denque/],
  ["queue (BullMQ)", /bullmq|msgpackr|cron-parser/],
  [
    "HTTP server and multipart (express, busboy)",
    /express|busboy|body-parser|raw-body|helmet|_http_server|router/,
  ],
  ["images (sharp)", /sharp/],
  ["logging (pino)", /pino|sonic-boom/],
  ["validation (zod)", /zod/],
  ["metrics (prom-client)", /prom-client/],
  ["garbage collector", /\(garbage collector\)/],
];
const REST = "the rest (node internals, JSON, facegate's own code)";

function summarise(file: string, skipUs: number): Map<string, number> {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let clock = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    clock += dt;
    if (clock >= skipUs) selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });
  const kinds = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const name = byId.get(id)!.callFrame.functionName;
    if (name === "(idle)" || name === "(program)") continue;
    let kind: string | undefined;
    for (let at: number | undefined = id; at !== undefined && !kind; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      kind = KINDS.find(([, pattern]) => pattern.test(`${frame.url} ${frame.functionName}`))?.[0];
    }
    kinds.set(kind ?? REST, (kinds.get(kind ?? REST) ?? 0) + us);
  }
  return kinds;
}

const args = process.argv.slice(2);
const skipAt = args.indexOf("--skip-s");
const skipS = skipAt >= 0 ? Number(args.splice(skipAt, 2)[1]) : 3;
for (const file of args) {
  const kinds = summarise(file, skipS * 1e6);
  const total = [...kinds.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`\n${file}: ${(total / 1000).toFixed(0)} ms busy after ${skipS} s\n`);
  for (const [kind, us] of [...kinds].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(
      `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${kind}\n`,
    );
  }
}
