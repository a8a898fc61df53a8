import { loadConfig } from "@facegate/config";
import { normaliseForVendor } from "@facegate/images";
import { S3Store } from "@facegate/storage";
import { createAdapters } from "@facegate/vendors";

/**
 * The I/O a face-fusion job cannot avoid, done as plainly as possible in one process: two input
 * PUTs, two input GETs, one vendor call (through the same adapter), one output PUT, one delete
 * of the inputs. With FLOOR_CHECKS=1, each input read back is also fitted to the vendor as a
 * worker fits it (`normaliseForVendor`: format, truncation, and for AILab the colour check, which
 * decodes the photo). Prints the CPU milliseconds it cost per job. facegate's own cost is
 * compared with this floor.
 */
const jobs = Number(process.env.FLOOR_JOBS ?? 300);
const checks = process.env.FLOOR_CHECKS === "1";
const concurrency = Number(process.env.FLOOR_CONCURRENCY ?? 8);
const config = loadConfig(process.env);
const store = new S3Store({ ...config.s3 });
await store.ensureBucket();
const adapter = createAdapters(config.vendors).get("ailab")!;
const { syntheticFace } = await import("@facegate/vendor-sim");
const target = await syntheticFace({ hue: 20, width: 400, height: 500 });
const template = await syntheticFace({ hue: 200, width: 400, height: 500 });
const image = (bytes: Buffer) => ({ bytes, contentType: "image/jpeg" as const, width: 400, height: 500 });

const fitToVendor = async (bytes: Buffer, role: "target" | "template") => {
  const fitted = await normaliseForVendor(bytes, adapter.limits("face_fusion", role), {
    maxPixels: config.api.maxImagePixels,
  });
  return { ...fitted, contentType: "image/jpeg" as const };
};

async function one(i: number) {
  const t = `floor/${i}/target`;
  const p = `floor/${i}/template`;
  await Promise.all([
    store.put(t, target, { contentType: "image/jpeg" }),
    store.put(p, template, { contentType: "image/jpeg" }),
  ]);
  const [a, b] = await Promise.all([store.get(t), store.get(p)]);
  const [fitA, fitB] = checks
    ? await Promise.all([fitToVendor(a, "target"), fitToVendor(b, "template")])
    : [image(a), image(b)];
  const result = await adapter.call({
    operation: "face_fusion",
    target: fitA,
    template: fitB,
    params: {},
    credential: 0,
  });
  if (result.kind !== "bytes") throw new Error("expected bytes");
  await store.put(`floor/${i}/output`, result.bytes, { contentType: result.contentType });
  await store.delete([t, p]);
}

// Warm up connections and JIT, then measure.
for (let i = 0; i < 20; i++) await one(-1 - i);
const before = process.cpuUsage();
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < jobs) await one(next++);
  }),
);
const cpu = process.cpuUsage(before);
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({ cpuMsPerJob: (cpu.user + cpu.system) / 1000 / jobs, jobsPerSecond: jobs / seconds }),
);
process.exit(0);
