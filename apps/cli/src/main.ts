import { FacegateConnectionError, FacegateError } from "@facegate/client";
import { type Command, CommanderError } from "commander";
import { CliError, EXIT } from "./errors";
import { buildProgram } from "./program";
import { userDirectory } from "./working-directory";

/** Entry point: run the command line, turning user-facing failures into a message and exit code. */
async function main(): Promise<void> {
  const here = userDirectory();
  if (here) process.chdir(here);
  const program = buildProgram();
  // Commander exits 1 on a usage error by default; facegate keeps 1 for "the job failed", so
  // parse errors are caught here and exit 2 like every other usage problem.
  everyCommand(program, (command) => command.exitOverride());
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    process.exit(report(error));
  }
}

/** Print what went wrong and return the exit code; a bug (anything unexpected) is rethrown. */
function report(error: unknown): number {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  if (error instanceof CommanderError) {
    // Commander printed its message (or the help) already.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CliError) {
    say(`error: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof FacegateError) {
    say(`error: ${error.code}: ${error.detail} (HTTP ${error.status})`);
    for (const e of error.errors) say(`  ${e.path || "(body)"}: ${e.message}`);
    if (error.requestId) say(`  request id: ${error.requestId}`);
    return EXIT.usage;
  }
  if (error instanceof FacegateConnectionError) {
    say(`error: ${error.message}; is it running? Set FACEGATE_URL if it runs elsewhere`);
    return EXIT.usage;
  }
  throw error;
}

function everyCommand(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const sub of command.commands) everyCommand(sub, apply);
}

await main();
