import { type Command, Option } from "commander";
import type { CreateOptions } from "../batch/actions";
import { OPERATION_CHOICES, VENDOR_CHOICES } from "../choices";
import { collect } from "../inputs";

/** Loaded when a batch command runs: the progress bars and zip code are not needed at start. */
const actions = () => import("../batch/actions");

/** `facegate batch …`: many photos with one template, followed and downloaded as one. */
export function registerBatchCommand(program: Command): void {
  const batch = program.command("batch").description("send a folder or zip of photos as one batch");

  batch
    .command("create")
    .description("upload a folder's photos (or a .zip), follow the batch, download and unpack the results")
    .argument(
      "<path>",
      "a folder of photos, subfolders included (by extension; hidden files skipped), or a .zip of them",
    )
    .addOption(
      new Option("--operation <op>", "what to do to each photo")
        .choices(OPERATION_CHOICES)
        .makeOptionMandatory(),
    )
    .addOption(new Option("--vendor <vendor>", "who does it").choices(VENDOR_CHOICES).default("auto"))
    .option("--template <file|url>", "the template every photo shares (face_fusion)")
    .option("--param <key=value>", "an operation parameter (repeatable; JSON values allowed)", collect)
    .option("--params-json <json>", "operation parameters as one JSON object (--param wins)")
    .option("--metadata <key=value>", "your own key-value pair, echoed on the batch (repeatable)", collect)
    .option("--webhook-url <url>", "where facegate POSTs batch.completed")
    .option("--idempotency-key <key>", "create at most once for this key (24 h)")
    .option("--no-recursive", "send only the folder's own photos, not its subfolders")
    .option("--out <dir>", "where the results go: <dir>/<batch id>.zip, unpacked beside it")
    .option("--no-wait", "only upload: print the batch and return")
    .option("--json", "print the result as JSON (progress lines go to stderr)")
    .addHelpText(
      "after",
      [
        "",
        "Progress bars are drawn when stdout is a terminal; otherwise a few plain lines are printed.",
        "Exit codes: 0 every item succeeded; 1 some failed or were canceled (listed in the summary);",
        "2 bad arguments or an HTTP problem.",
        "",
        "Example:",
        "  facegate batch create ./photos --template poster.jpg --operation face_fusion --out ./results",
      ].join("\n"),
    )
    .action(async (path: string, options: CreateOptions) => (await actions()).createBatch(path, options));

  batch
    .command("get")
    .description("show a batch's progress")
    .argument("<id>", "the batch's id (bat_…)")
    .option("--json", "print the batch as JSON")
    .action(async (id: string, options: { json?: boolean }) => (await actions()).getBatch(id, options));

  batch
    .command("cancel")
    .description("cancel every item of a batch that has not finished")
    .argument("<id>", "the batch's id (bat_…)")
    .option("--json", "print the batch as JSON")
    .action(async (id: string, options: { json?: boolean }) => (await actions()).cancelBatch(id, options));

  batch
    .command("download")
    .description("download a batch's results and unpack them")
    .argument("<id>", "the batch's id (bat_…)")
    .requiredOption("--out <dir>", "where the results go: <dir>/<batch id>.zip, unpacked beside it")
    .option("--json", "print the result as JSON")
    .action(async (id: string, options: { out: string; json?: boolean }) =>
      (await actions()).downloadBatch(id, options),
    );
}
