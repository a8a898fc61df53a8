import type { ApiKey } from "@facegate/client";
import { type Command, InvalidArgumentError } from "commander";
import { cliAdminClient } from "../client";
import { usageError } from "../errors";
import { formatTime, output, table } from "../output";

interface KeysOptions {
  tenant?: string;
  json?: boolean;
}

/**
 * `facegate keys …`: tenants' API keys, managed over HTTP with the admin key (FACEGATE_URL,
 * FACEGATE_ADMIN_KEY). Whoever runs this is an operator, not a tenant; nothing here touches
 * facegate's Redis.
 */
export function registerKeysCommand(program: Command): void {
  const keys = program
    .command("keys")
    .description("create, list and revoke tenants' API keys (FACEGATE_URL, FACEGATE_ADMIN_KEY)");

  keys
    .command("create")
    .description("create an API key for a tenant; the key is printed once and never again")
    .requiredOption("--tenant <tenant>", "the tenant the key belongs to", tenantName)
    .option("--name <name>", "what the key is for, shown by `keys list`", "cli")
    .option("--json", "print the key and its details as JSON")
    .action((options: KeysOptions & { tenant: string; name: string }) => create(options));

  keys
    .command("list")
    .description("list API keys (id, tenant, name, prefix, created, source); never the keys")
    .option("--tenant <tenant>", "only this tenant's keys", tenantName)
    .option("--json", 'print {"data": [...]} as JSON')
    .action((options: KeysOptions) => list(options));

  keys
    .command("revoke")
    .description("revoke an API key: every API process refuses it at once")
    .argument("<id>", "the key's id (key_…), from `keys list`")
    .option("--tenant <tenant>", "refuse unless the key belongs to this tenant", tenantName)
    .option("--json", "print the outcome as JSON")
    .action((id: string, options: KeysOptions) => revoke(id, options));
}

async function create(options: KeysOptions & { tenant: string; name: string }): Promise<void> {
  const out = output(options);
  const created = await cliAdminClient().createApiKey({ tenant: options.tenant, name: options.name });
  out.document(created);
  out.line(`Created ${created.id} for tenant ${created.tenant} (${created.name}):`);
  out.line();
  out.line(`  ${created.key}`);
  out.line();
  out.line("Store it now: it will not be shown again (facegate keeps only its hash).");
}

async function list(options: KeysOptions): Promise<void> {
  const out = output(options);
  const all = await cliAdminClient().listApiKeys({ tenant: options.tenant });
  out.document({ data: all });
  if (all.length === 0)
    return out.line(options.tenant ? `Tenant ${options.tenant} has no API keys.` : "There are no API keys.");
  const rows = all.map((k: ApiKey) => [
    k.id,
    k.tenant,
    k.name,
    `${k.prefix}…`,
    formatTime(k.created_at),
    k.source,
  ]);
  for (const row of table(["ID", "TENANT", "NAME", "PREFIX", "CREATED", "SOURCE"], rows)) out.line(row);
}

async function revoke(id: string, options: KeysOptions): Promise<void> {
  const out = output(options);
  const client = cliAdminClient();
  if (options.tenant && !(await client.listApiKeys({ tenant: options.tenant })).some((k) => k.id === id)) {
    throw usageError(`tenant ${options.tenant} has no API key ${id} (see facegate keys list)`);
  }
  const info = await client.revokeApiKey(id);
  out.document({ ...info, revoked: true });
  out.line(`Revoked ${id} (tenant ${info.tenant}). API processes refuse it from now on.`);
  if (info.source === "env") {
    out.note(
      "note: this key comes from API_KEYS; remove it there too, or the next API start registers it again.",
    );
  }
}

function tenantName(value: string): string {
  if (!/^[\w.-]{1,64}$/.test(value)) {
    throw new InvalidArgumentError("1 to 64 letters, digits, '.', '_' or '-'");
  }
  return value;
}
