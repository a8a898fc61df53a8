import {
  apiKeyListSchema,
  apiKeySchema,
  createApiKeyBody,
  createdApiKeySchema,
  keyIdParam,
  listApiKeysQuery,
} from "@facegate/core/api-schemas";
import { z } from "zod";
import { route } from "../route";

const TAGS = ["admin"] as const;

/**
 * Operator routes behind ADMIN_API_KEY (`apps/api/src/routes/admin-keys.ts`). Each answers 403
 * `admin_not_configured` when the server has no admin key.
 */
export const ADMIN_ROUTES = [
  route({
    method: "post",
    path: "/v1/admin/keys",
    operationId: "createApiKey",
    summary: "Create an API key for a tenant",
    description:
      "A new tenant needs nothing else: its first key creates it. The secret is in this answer only; " +
      "facegate keeps its hash.",
    tags: TAGS,
    access: "admin",
    body: { json: createApiKeyBody },
    responses: { 201: { description: "The key, with its secret (shown once).", json: createdApiKeySchema } },
    problems: [400, 403, 413, 415, 422],
  }),
  route({
    method: "get",
    path: "/v1/admin/keys",
    operationId: "listApiKeys",
    summary: "List API keys",
    description: "Every tenant's keys (or one tenant's), oldest first. Never the secrets.",
    tags: TAGS,
    access: "admin",
    query: listApiKeysQuery,
    responses: { 200: { description: "The keys.", json: apiKeyListSchema } },
    problems: [403, 422],
  }),
  route({
    method: "delete",
    path: "/v1/admin/keys/:id",
    operationId: "revokeApiKey",
    summary: "Revoke an API key",
    description:
      "Every API process refuses the key from this moment. A key from API_KEYS is registered again at the " +
      "next start unless it is removed there too.",
    tags: TAGS,
    access: "admin",
    params: z.object({ id: keyIdParam.describe("The key's id (`key_…`).") }),
    responses: { 200: { description: "The revoked key's details.", json: apiKeySchema } },
    problems: [403, 404],
  }),
];
