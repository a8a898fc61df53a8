import { CliError } from "./errors";
import { buildProgram } from "./program";

/** Entry point: run the command line, turning user-facing failures into a message and exit code. */
async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    throw error;
  }
}

await main();
