import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildConsole } from "@facegate/console/build";
import { build } from "esbuild";

/**
 * `npm run build`: each process's entry point bundled with facegate's own packages into one
 * ES module under dist/, third-party dependencies left as imports (installed by npm). What
 * production runs (see Dockerfile): plain node, no TypeScript transform at start or in memory.
 * The web console's script and stylesheet go to dist/console/ with the example photos, where the
 * API's bundle looks for them. `npm start` and the tests run the sources directly through tsx
 * instead (the API then bundles the console in memory).
 */
const root = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

export const ENTRY_POINTS = {
  api: "apps/api/src/main.ts",
  worker: "apps/worker/src/main.ts",
  "vendor-sim": "apps/vendor-sim/src/main.ts",
} as const;

export async function buildDist(outdir = join(root, "dist")): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: true,
    external: [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)],
    logLevel: "warning",
  });
  const consoleDir = join(outdir, "console");
  mkdirSync(consoleDir, { recursive: true });
  for (const [name, bytes] of Object.entries(await buildConsole()))
    writeFileSync(join(consoleDir, name), bytes);
  for (const name of ["face.jpg", "template.jpg"])
    copyFileSync(join(root, "examples", name), join(consoleDir, name));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildDist();
  console.log(
    `built ${Object.keys(ENTRY_POINTS)
      .map((n) => `dist/${n}.mjs`)
      .join(", ")} and dist/console/`,
  );
}
