/**
 * The directory the user typed the command in. `npm run facegate -- …` runs the CLI from the
 * repository root wherever it was typed; npm keeps the user's own directory in INIT_CWD. Paths
 * the user gives (`--target face.jpg`, `--out results/`) mean that directory, so the CLI moves
 * there before reading any of them. Run any other way (`node …/facegate.js`, the package's bin),
 * the process's own directory already is the user's.
 */
export function userDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const viaNpmScript = env.npm_lifecycle_event === "facegate" && env.npm_package_name === "facegate";
  return viaNpmScript && env.INIT_CWD ? env.INIT_CWD : undefined;
}
