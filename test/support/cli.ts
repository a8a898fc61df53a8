import { spawn } from "node:child_process";
import { join } from "node:path";

/** The `facegate` command as users run it: the bin shim, in its own process. */
export const CLI_BIN = join(import.meta.dirname, "..", "..", "apps", "cli", "bin", "facegate.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run `facegate <args>` against a facegate (FACEGATE_URL, FACEGATE_API_KEY) and collect what it
 * printed. stdout is a pipe, not a terminal: the CLI prints plain lines, as in CI.
 */
export function runCli(args: string[], options: CliRunOptions): Promise<CliRun> {
  return collectRun(process.execPath, [CLI_BIN, ...args], options);
}

/**
 * `npm run facegate -- <args>` typed in `options.cwd` (a folder inside the repository), as the
 * README shows it: npm runs the CLI from the repository root and says where the user was.
 */
export function runNpmCli(args: string[], options: CliRunOptions): Promise<CliRun> {
  return collectRun("npm", ["run", "--silent", "facegate", "--", ...args], options);
}

interface CliRunOptions {
  url: string;
  apiKey?: string;
  cwd?: string;
  env?: Record<string, string>;
}

function collectRun(command: string, args: string[], options: CliRunOptions): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, FACEGATE_URL: options.url, ...options.env };
  if (options.apiKey) env.FACEGATE_API_KEY = options.apiKey;
  else delete env.FACEGATE_API_KEY;
  const child = spawn(command, args, { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
