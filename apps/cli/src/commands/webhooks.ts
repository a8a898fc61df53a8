import { type Command, InvalidArgumentError } from "commander";
import { cliClient } from "../client";
import { cliConfig } from "../config";
import { CliError } from "../errors";
import { startWebhookListener } from "../webhooks/listener";

interface ListenOptions {
  port: number;
  host: string;
  secret?: string[];
  forwardTo?: string;
}

/** `facegate webhooks …`: try webhooks on a laptop. */
export function registerWebhooksCommand(program: Command): void {
  const webhooks = program.command("webhooks").description("receive and inspect facegate's webhooks");

  webhooks
    .command("listen")
    .description("run a local receiver that verifies each webhook's signature and prints one line per event")
    .option("-p, --port <port>", "port to listen on (0: any free port)", port, 8787)
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option(
      "--secret <whsec>",
      "secret to verify with (repeatable; default: the tenant's, fetched with FACEGATE_API_KEY)",
      (value: string, all: string[] | undefined) => [...(all ?? []), value],
    )
    .option("--forward-to <url>", "forward verified requests to this URL and answer with its answer")
    .addHelpText(
      "after",
      [
        "",
        "Use the printed URL as a job's webhook_url. `npm start` allow-lists 127.0.0.1:8787 and",
        "localhost:8787; against another facegate, add the listener's host:port to its EGRESS_ALLOWLIST.",
        "Registered endpoints sign with their own secret: pass it with --secret as well.",
      ].join("\n"),
    )
    .action(async (options: ListenOptions) => listen(options));
}

async function listen(options: ListenOptions): Promise<void> {
  const secrets = options.secret ?? [await tenantSecret()];
  if (options.forwardTo && !/^https?:\/\//.test(options.forwardTo)) {
    throw new CliError(`--forward-to must be an http(s) URL, not "${options.forwardTo}"`);
  }
  let listener: Awaited<ReturnType<typeof startWebhookListener>>;
  try {
    listener = await startWebhookListener({
      port: options.port,
      host: options.host,
      secrets,
      forwardTo: options.forwardTo,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new CliError(`port ${options.port} is in use; pick another with --port`);
    }
    throw error;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Listening for facegate webhooks on ${listener.url}`);
  out(`  verifying with ${secrets.length} secret${secrets.length === 1 ? "" : "s"}`);
  if (options.forwardTo) out(`  forwarding verified events to ${options.forwardTo}`);
  out("  Ctrl-C to stop.");

  // Resolve on Ctrl-C (or a termination signal) once the server is closed: a clean exit, code 0.
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void listener.close().then(() => {
        out("Stopped.");
        resolve();
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** The tenant's secret for per-job webhook_urls, from GET /v1/webhook-secret. */
async function tenantSecret(): Promise<string> {
  const config = cliConfig();
  if (!config.apiKey) {
    throw new CliError(
      "give --secret whsec_…, or set FACEGATE_API_KEY so the tenant's secret can be fetched from facegate",
    );
  }
  const { secret } = await cliClient(config).getWebhookSecret();
  return secret;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError("not a port number");
  return n;
}
