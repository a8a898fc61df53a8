import { createApiKeyBody, keyIdParam, listApiKeysQuery } from "@facegate/core/api-schemas";
import type { ApiKeyInfo } from "@facegate/records";
import { Router } from "express";
import type { ApiContext } from "../context";
import { jsonBody, noBody, SMALL_JSON_LIMIT } from "../middleware/body-limits";
import { Problem } from "../problem";

/** The public shape of a key's details; the secret only in the answer that created it. */
export function apiKeyView(info: ApiKeyInfo) {
  return {
    id: info.id,
    object: "api_key" as const,
    tenant: info.tenant,
    name: info.name,
    prefix: info.prefix,
    created_at: new Date(info.createdAt).toISOString(),
    source: info.source,
  };
}

/**
 * Tenants' API keys, created, listed and revoked by an operator (`/v1/admin/keys`). Mounted
 * under `adminRouter`, which checks the admin key first.
 */
export function adminKeysRouter(ctx: ApiContext): Router {
  const router = Router();

  router.post("/v1/admin/keys", jsonBody(SMALL_JSON_LIMIT), async (req, res) => {
    if (!req.is("application/json"))
      throw new Problem(415, "unsupported_media_type", "send the key as application/json");
    const parsed = createApiKeyBody.safeParse(req.body);
    if (!parsed.success) throw Problem.validation(parsed.error);
    const { key, info } = await ctx.apiKeys.create(parsed.data.tenant, parsed.data.name);
    res.status(201).json({ ...apiKeyView(info), key });
  });

  router.get("/v1/admin/keys", noBody, async (req, res) => {
    const query = listApiKeysQuery.safeParse(req.query);
    if (!query.success) throw Problem.validation(query.error, "query");
    const { tenant } = query.data;
    const keys = tenant ? await ctx.apiKeys.list(tenant) : await ctx.apiKeys.listAll();
    res.json({ data: keys.map(apiKeyView) });
  });

  router.delete("/v1/admin/keys/:id", noBody, async (req, res) => {
    const id = keyIdParam.safeParse(req.params.id);
    const info = id.success ? await ctx.apiKeys.find(id.data) : undefined;
    // Revocation is instant: every API process drops the key from its cache when it hears it.
    if (!info || !(await ctx.apiKeys.revoke(info.tenant, info.id)))
      throw new Problem(404, "not_found", "no API key with this id");
    res.json(apiKeyView(info));
  });

  return router;
}
