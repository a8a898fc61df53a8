import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CAPABILITIES, OPERATIONS, VENDORS } from "@facegate/core";
import { PARAM_SCHEMAS } from "@facegate/vendors";
import { z } from "zod";

export interface Asset {
  type: string;
  body: Buffer;
}

/** The example portraits shipped in examples/, offered by the console's "Try it". */
export const EXAMPLES = ["face.jpg", "template.jpg"] as const;

/**
 * Where the console's files come from. Production runs the API from dist/ next to a
 * dist/console/ that `npm run build` filled; run from the sources (`npm start`, tests), the
 * console is bundled in memory by esbuild on its first request.
 */
const PREBUILT = join(import.meta.dirname, "console");
const REPO_EXAMPLES = join(import.meta.dirname, "..", "..", "..", "..", "examples");

let loading: Promise<Map<string, Asset>> | undefined;

/** Every asset of the console by name, made once per process. */
export function consoleAssets(): Promise<Map<string, Asset>> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const prebuilt = existsSync(join(PREBUILT, "app.js"));
  if (prebuilt) {
    assets.set("app.js", { type: "text/javascript", body: readFileSync(join(PREBUILT, "app.js")) });
    assets.set("app.css", { type: "text/css", body: readFileSync(join(PREBUILT, "app.css")) });
    assets.set("icon.svg", { type: "image/svg+xml", body: readFileSync(join(PREBUILT, "icon.svg")) });
  } else {
    // Named through a variable, so the production bundle holds neither the builder nor esbuild.
    const builder = "@facegate/console/build";
    const { buildConsole } = (await import(builder)) as typeof import("@facegate/console/build");
    const bundle = await buildConsole();
    assets.set("app.js", { type: "text/javascript", body: Buffer.from(bundle["app.js"]) });
    assets.set("app.css", { type: "text/css", body: Buffer.from(bundle["app.css"]) });
    assets.set("icon.svg", { type: "image/svg+xml", body: Buffer.from(bundle["icon.svg"]) });
  }
  for (const name of EXAMPLES) {
    const file = join(prebuilt ? PREBUILT : REPO_EXAMPLES, name);
    if (existsSync(file)) assets.set(`examples/${name}`, { type: "image/jpeg", body: readFileSync(file) });
  }
  assets.set("params.json", {
    type: "application/json",
    body: Buffer.from(JSON.stringify(paramsCatalog())),
  });
  return assets;
}

/**
 * What the "Try it" form offers: each operation's vendors and the JSON Schema of their params,
 * made from the zod schemas the API validates params with.
 */
export function paramsCatalog() {
  const schemas: Record<string, Partial<Record<string, z.ZodType>>> = PARAM_SCHEMAS;
  return {
    vendors: VENDORS,
    operations: Object.fromEntries(
      OPERATIONS.map((op) => [
        op,
        {
          vendors: CAPABILITIES[op],
          params: Object.fromEntries(
            CAPABILITIES[op].map((vendor) => [
              vendor,
              z.toJSONSchema(schemas[op]![vendor]!, { io: "input" }),
            ]),
          ),
        },
      ]),
    ),
  };
}
