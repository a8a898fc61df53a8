import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The console's sources: one script and one stylesheet, bundled for the browser. */
const SRC = join(import.meta.dirname, "src");

export interface ConsoleBundle {
  "app.js": Uint8Array;
  "app.css": Uint8Array;
  "icon.svg": Uint8Array;
}

/**
 * Bundle the console with esbuild: in memory (the API does this on its first /console request
 * when it runs from the sources) or into `outdir` (`npm run build`, for production, where
 * esbuild is not installed). esbuild is imported here, on call, so a production bundle of the
 * API never loads it.
 */
export async function buildConsole(outdir?: string): Promise<ConsoleBundle> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: { app: join(SRC, "main.ts"), "app-style": join(SRC, "styles.css") },
    outdir: outdir ?? "/console-in-memory",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox110", "safari16"],
    minify: true,
    sourcemap: false,
    write: false,
    logLevel: "warning",
  });
  const file = (ext: string) => {
    const found = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (!found) throw new Error(`the console build made no ${ext} file`);
    return found.contents;
  };
  return { "app.js": file(".js"), "app.css": file(".css"), "icon.svg": readFileSync(join(SRC, "icon.svg")) };
}
