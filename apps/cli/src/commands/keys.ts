import type { ApiKeyInfo, ApiKeys } from "@facegate/records";
import { type Command, InvalidArgumentError } from "commander";
import { usageError } from "../errors";
import { formatTime, output, table } from "../output";

interface KeysOptions {
  tenant: string;
  json?: boolean;
}

/**
 * `facegate keys …`: API keys are managed where facegate keeps them, in its Redis (REDIS_URL,
 * REDIS_PREFIX), not through the API: whoever runs this is an operator, not a tenant.
 */
export function registerKeysCommand(program: Command): void {
  const keys = program
    .command("keys")
    .description("create, list and revoke tenants' API keys (talks to Redis: REDIS_URL, REDIS_PREFIX)");

  keys
    .command("create")
    .description("create an API key for a tenant; the key is printed once and never again")
    .requiredOption("--tenant <tenant>", "the tenant the key belongs to", tenantName)
    .option("--name <name>", "what the key is for, shown by `keys list`", "cli")
    .option("--json", "print the key and its details as JSON")
    .action((options: KeysOptions & { name: string }) => withKeys((k) => create(k, options)));

  keys
    .command("list")
    .description("list a tenant's API keys (id, name, prefix, created, source); never the keys")
    .requiredOption("--tenant <tenant>", "the tenant", tenantName)
    .option("--json", 'print {"data": [...]} as JSON')
    .action((options: KeysOptions) => withKeys((k) => list(k, options)));

  keys
    .command("revoke")
    .description("revoke an API key: it stops working at once")
    .argument("<id>", "the key's id (key_…), from `keys list`")
    .requiredOption("--tenant <tenant>", "the tenant the key belongs to", tenantName)
    .option("--json", "print the outcome as JSON")
    .action((id: string, options: KeysOptions) => withKeys((k) => revoke(k, id, options)));
}

async function create(apiKeys: ApiKeys, options: KeysOptions & { name: string }): Promise<void> {
  const out = output(options);
  const { key, info } = await apiKeys.create(options.tenant, options.name);
  out.document({ ...view(info), key });
  out.line(`Created ${info.id} for tenant ${info.tenant} (${info.name}):`);
  out.line();
  out.line(`  ${key}`);
  out.line();
  out.line("Store it now: it will not be shown again (facegate keeps only its hash).");
}

async function list(apiKeys: ApiKeys, options: KeysOptions): Promise<void> {
  const out = output(options);
  const all = await apiKeys.list(options.tenant);
  out.document({ data: all.map(view) });
  if (all.length === 0) return out.line(`Tenant ${options.tenant} has no API keys.`);
  const rows = all.map((k) => [k.id, k.name, `${k.prefix}…`, formatTime(view(k).created_at), k.source]);
  for (const row of table(["ID", "NAME", "PREFIX", "CREATED", "SOURCE"], rows)) out.line(row);
}

async function revoke(apiKeys: ApiKeys, id: string, options: KeysOptions): Promise<void> {
  const out = output(options);
  const info = (await apiKeys.list(options.tenant)).find((k) => k.id === id);
  if (!info || !(await apiKeys.revoke(options.tenant, id))) {
    throw usageError(`tenant ${options.tenant} has no API key ${id} (see facegate keys list)`);
  }
  out.document({ ...view(info), revoked: true });
  out.line(`Revoked ${id} (tenant ${options.tenant}). API processes refuse it from now on.`);
  if (info.source === "env") {
    out.note(
      "note: this key comes from API_KEYS; remove it there too, or the next API start registers it again.",
    );
  }
}

/** The JSON shape of a key's details, in the API's naming. */
function view(info: ApiKeyInfo) {
  return {
    id: info.id,
    tenant: info.tenant,
    name: info.name,
    prefix: info.prefix,
    created_at: new Date(info.createdAt).toISOString(),
    source: info.source,
  };
}

/** Open facegate's Redis, run, close. Unreachable Redis is a clear message, not a hang. */
async function withKeys(run: (apiKeys: ApiKeys) => Promise<void>): Promise<void> {
  const url = process.env.REDIS_URL?.trim();
  if (!url || !/^rediss?:\/\//.test(url)) {
    throw usageError("REDIS_URL is not set to a redis:// URL: the Redis facegate keeps its keys in");
  }
  const prefix = process.env.REDIS_PREFIX?.trim() || "fg";
  if (!/^[\w{}.-]+$/.test(prefix)) throw usageError("REDIS_PREFIX: letters, digits and {}.-_ only");
  // Loaded here, not at start: every other command starts faster without Redis and its scripts.
  const [{ createRedis }, { ApiKeys, redisKeys }] = await Promise.all([
    import("@facegate/queue"),
    import("@facegate/records"),
  ]);
  const redis = createRedis(url, "producer", "facegate-cli");
  redis.on("error", () => undefined); // reported below, once
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) => reject(usageError(`cannot reach Redis at ${shown(url)} (${why})`));
      const timer = setTimeout(() => fail("no answer within 5 s"), 5_000);
      redis.once("ready", () => {
        clearTimeout(timer);
        resolve();
      });
      redis.once("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        fail(error.code ?? error.message);
      });
    });
    await run(new ApiKeys(redis, redisKeys(prefix)));
  } finally {
    redis.disconnect();
  }
}

/** The URL without its password, for messages. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.href;
  } catch {
    return "REDIS_URL";
  }
}

function tenantName(value: string): string {
  if (!/^[\w.-]{1,64}$/.test(value)) {
    throw new InvalidArgumentError("1 to 64 letters, digits, '.', '_' or '-'");
  }
  return value;
}
