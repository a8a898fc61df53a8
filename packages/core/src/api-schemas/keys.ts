import { z } from "zod";

/**
 * Request and response schemas of API key management (`/v1/admin/keys`, admin key only). The
 * secret itself appears once, in the answer to its creation; facegate keeps only its hash.
 */

export const tenantName = z
  .string()
  .regex(/^[\w.-]{1,64}$/, "1 to 64 letters, digits, '.', '_' or '-'")
  .describe("The tenant: 1 to 64 letters, digits, `.`, `_` or `-`.");

export const keyIdParam = z.string().regex(/^key_[0-9a-z]{29}$/);

export const createApiKeyBody = z.strictObject({
  tenant: tenantName,
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((v) => !/\p{Cc}/u.test(v), "control characters are not allowed")
    .default("api")
    .describe("What the key is for, shown in lists."),
});

export const listApiKeysQuery = z.strictObject({
  tenant: tenantName.optional().describe("Only this tenant's keys; every tenant's when absent."),
});

export const API_KEY_SOURCES = ["env", "cli", "api"] as const;

export const apiKeySchema = z
  .object({
    id: z.string().describe("`key_…`"),
    object: z.literal("api_key"),
    tenant: z.string(),
    name: z.string(),
    prefix: z.string().describe("The key's first characters, to tell keys apart."),
    created_at: z.string(),
    source: z
      .enum(API_KEY_SOURCES)
      .describe(
        "`env`: from API_KEYS (registered again at each start); `api`/`cli`: created by an operator.",
      ),
  })
  .describe("An API key's details; never the key itself.");

export const createdApiKeySchema = apiKeySchema
  .extend({ key: z.string().describe("The secret: shown in this answer only, never again.") })
  .describe("A new API key, with its secret.");

export const apiKeyListSchema = z.object({ data: z.array(apiKeySchema) });
