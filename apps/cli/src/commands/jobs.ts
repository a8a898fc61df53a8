import { type Command, Option } from "commander";
import { OPERATION_CHOICES, STATUS_CHOICES, VENDOR_CHOICES } from "../choices";
import { collect, positiveInt, seconds } from "../inputs";
import type { CreateOptions, ListOptions } from "../jobs/actions";

/** Loaded when a jobs command runs, so other commands do not pay for its imports at start. */
const actions = () => import("../jobs/actions");

/** `facegate jobs …`: one photo at a time. */
export function registerJobsCommand(program: Command): void {
  const jobs = program.command("jobs").description("create, follow and cancel single jobs");

  jobs
    .command("create")
    .description("create a job from files or URLs; with --wait, wait for its result")
    .addOption(new Option("--operation <op>", "what to do").choices(OPERATION_CHOICES).makeOptionMandatory())
    .addOption(new Option("--vendor <vendor>", "who does it").choices(VENDOR_CHOICES).default("auto"))
    .requiredOption("--target <file|url>", "the photo to work on")
    .option("--template <file|url>", "the template (face_fusion)")
    .option("--param <key=value>", "an operation parameter (repeatable; JSON values allowed)", collect)
    .option("--params-json <json>", "operation parameters as one JSON object (--param wins)")
    .option("--metadata <key=value>", "your own key-value pair, echoed on the job (repeatable)", collect)
    .option("--webhook-url <url>", "where facegate POSTs the signed job.* event")
    .option("--idempotency-key <key>", "create at most once for this key (24 h)")
    .option("--wait [seconds]", "wait for the final state (default 300 s)", seconds)
    .option("--out <file>", "save the output image here (implies --wait; a directory: <dir>/<job id>.jpg)")
    .option("--json", "print the job as JSON")
    .addHelpText(
      "after",
      [
        "",
        "Exit codes: 0 created (or, with --wait, succeeded); 1 the job failed, was canceled or did",
        "not finish in time; 2 bad arguments or an HTTP problem (its code and detail are printed).",
        "",
        "Example:",
        "  facegate jobs create --operation face_fusion --target me.jpg --template poster.jpg --out result.jpg",
      ].join("\n"),
    )
    .action(async (options: CreateOptions) => (await actions()).createJob(options));

  jobs
    .command("get")
    .description("show a job")
    .argument("<id>", "the job's id (job_…)")
    .option("--out <file>", "save its output image here, when it succeeded")
    .option("--json", "print the job as JSON")
    .action(async (id: string, options: { out?: string; json?: boolean }) =>
      (await actions()).getJob(id, options),
    );

  jobs
    .command("list")
    .description("list jobs, newest first")
    .addOption(new Option("--status <status>", "only jobs in this state").choices(STATUS_CHOICES))
    .option("--batch <id>", "only the jobs of this batch (bat_…)")
    .option("--limit <n>", "jobs per page, at most 200 (default 20; with --all, 200)", positiveInt)
    .option("--cursor <cursor>", "the page after this one (printed under a full page)")
    .option("--all", "every matching job, page after page")
    .option("--json", 'print {"data": [...], "next_cursor": ...} as JSON')
    .action(async (options: ListOptions) => (await actions()).listJobs(options));

  jobs
    .command("cancel")
    .description("cancel a queued or running job")
    .argument("<id>", "the job's id (job_…)")
    .option("--json", "print the job as JSON")
    .action(async (id: string, options: { json?: boolean }) => (await actions()).cancelJob(id, options));
}
