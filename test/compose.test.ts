import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { envSchema } from "@facegate/config";
import { CORE_SCHEMA, load, mergeTag } from "js-yaml";
import { describe, expect, it } from "vitest";
import { buildDist, ENTRY_POINTS } from "../scripts/build";

const ROOT = join(import.meta.dirname, "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string | string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string | string[] };
  profiles?: string[];
  ports?: string[];
}
// Compose files use YAML merge keys (`<<: *facegate`), as compose itself resolves them.
const compose = load(read("docker-compose.yml"), { schema: CORE_SCHEMA.withTags(mergeTag) }) as {
  services: Record<string, Service>;
  volumes: object;
};
const services = compose.services;
const words = (command: Service["command"]) => (Array.isArray(command) ? command.join(" ") : (command ?? ""));

/** `docker compose` itself, when this machine has the plugin (it needs no engine for `config`). */
function composeCli(): boolean {
  return spawnSync("docker", ["compose", "version"], { encoding: "utf8" }).status === 0;
}

describe("docker-compose.yml", () => {
  it("passes `docker compose config` where the compose plugin is installed, and parses as YAML everywhere", () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(["redis", "minio", "minio-init", "api", "worker", "vendor-sim"]),
    );
    if (composeCli()) {
      for (const args of [
        ["config", "-q"],
        ["--profile", "sim", "config", "-q"],
      ]) {
        const run = spawnSync("docker", ["compose", ...args], { cwd: ROOT, encoding: "utf8", env: {} });
        expect(run.status, run.stderr).toBe(0);
      }
    }
  });

  it("runs Redis with AOF and noeviction, with a health check and a volume", () => {
    const redis = services.redis!;
    const command = words(redis.command);
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(words(redis.healthcheck?.test)).toContain("redis-cli ping");
    expect(compose.volumes).toHaveProperty("redis-data");
  });

  it("runs MinIO and creates the bucket before the API and the worker start", () => {
    expect(words(services.minio!.healthcheck?.test)).toContain("mc ready local");
    const init = services["minio-init"]!;
    expect(words(init.command)).toMatch(/mc mb --ignore-existing "local\/\$\$S3_BUCKET"/);
    expect(init.depends_on?.minio?.condition).toBe("service_healthy");
    for (const name of ["api", "worker"]) {
      expect(services[name]!.depends_on).toMatchObject({
        redis: { condition: "service_healthy" },
        "minio-init": { condition: "service_completed_successfully" },
      });
    }
  });

  it("runs the API and the worker as separate services of one image, with health checks", async () => {
    const { api, worker } = services;
    expect(api!.build).toBe(".");
    expect(worker!.build).toBe(".");
    expect(api!.image).toBe(worker!.image);
    expect(words(api!.command)).toContain("dist/api.mjs");
    // The bulk-upload benchmark measures the API with these settings.
    const { API_MEMORY_ENV } = await import("../bench/lib/processes");
    expect(api!.environment).toMatchObject(API_MEMORY_ENV);
    expect(words(worker!.command)).toContain("dist/worker.mjs");
    expect(words(api!.healthcheck?.test)).toContain("/readyz");
    expect(worker!.environment?.WORKER_METRICS_PORT).toBe("9464");
    expect(words(worker!.healthcheck?.test)).toContain(":9464/metrics");
    for (const service of [api!, worker!]) {
      expect(service.environment).toMatchObject({
        REDIS_URL: "redis://redis:6379",
        S3_ENDPOINT: "http://minio:9000",
        S3_FORCE_PATH_STYLE: "true",
      });
    }
    expect(services["vendor-sim"]!.profiles).toEqual(["sim"]);
  });

  it("passes only variables facegate (or node and its allocator) reads", () => {
    const known = new Set([...Object.keys(envSchema.shape), "NODE_OPTIONS", "MALLOC_ARENA_MAX"]);
    for (const name of ["api", "worker"]) {
      const unknown = Object.keys(services[name]!.environment ?? {}).filter((v) => !known.has(v));
      expect(unknown, name).toEqual([]);
    }
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.find((s) => / AS runtime\b/.test(s.split("\n")[0]!))!;

  it("builds in stages: all dependencies for the checks, production ones for the runtime", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/RUN npm ci --include=dev/);
    expect(runtime).toMatch(/RUN npm ci --omit=dev/);
    expect(dockerfile).not.toMatch(/npm install/);
    // The runtime is the last stage, so a plain `docker build` produces it.
    expect(stages.at(-1)).toBe(runtime);
  });

  it("runs the built bundles as a non-root user, with node as PID 1's child", () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/api\.mjs"\]$/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
  });

  it("builds bundles that import nothing `npm ci --omit=dev` leaves out", async () => {
    const out = mkdtempSync(join(tmpdir(), "facegate-dist-"));
    try {
      await buildDist(out);
      const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string> };
      for (const name of Object.keys(ENTRY_POINTS)) {
        const code = readFileSync(join(out, `${name}.mjs`), "utf8");
        const imported = [...code.matchAll(/(?:from |import\()"([^".][^"]*)"/g)].map((m) => m[1]!);
        const packages = new Set(
          imported
            .filter((s) => !s.startsWith("node:"))
            .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]!)),
        );
        expect(packages.size, `${name} imports packages`).toBeGreaterThan(3);
        for (const p of packages)
          expect(pkg.dependencies[p], `${name}.mjs imports ${p}, not a runtime dependency`).toBeDefined();
      }
      // The web console is built beside the API's bundle, which serves it from there.
      for (const file of ["app.js", "app.css", "icon.svg", "face.jpg", "template.jpg"])
        expect(existsSync(join(out, "console", file)), `dist/console/${file}`).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("keeps dependencies, data and secrets out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of ["**/node_modules", ".data", ".env", ".git"]) expect(ignored).toContain(entry);
  });
});
