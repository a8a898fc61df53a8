import { Command } from "commander";
import { registerBatchCommand } from "./commands/batch";
import { registerJobsCommand } from "./commands/jobs";
import { registerKeysCommand } from "./commands/keys";
import { registerWebhooksCommand } from "./commands/webhooks";

/**
 * The `facegate` command. Each command group lives in its own file under `commands/` and adds
 * itself here with one `register…` call.
 */
export function buildProgram(): Command {
  const program = new Command("facegate")
    .description("command line for facegate (FACEGATE_URL, FACEGATE_API_KEY)")
    .showHelpAfterError();
  registerJobsCommand(program);
  registerBatchCommand(program);
  registerWebhooksCommand(program);
  registerKeysCommand(program);
  return program;
}
