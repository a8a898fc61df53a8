import { buildOpenApiDocument } from "@facegate/api/openapi";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { expect, it } from "vitest";

/**
 * An independent linter (Redocly's, with its `recommended` rules, offline) finds no error in the
 * document. Its one kind of warning is accepted where it is true by design: the liveness, readiness
 * and reference routes are public and take no input, so they have no 4xx answer to declare.
 */
it("passes Redocly's recommended rules", async () => {
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({
    source: JSON.stringify(buildOpenApiDocument()),
    absoluteRef: "openapi.json",
    config,
  });
  const shown = problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
  expect(shown.filter((p) => p.startsWith("error"))).toEqual([]);
  expect(shown.filter((p) => !p.startsWith("error"))).toEqual(
    ["/healthz", "/readyz", "/openapi.json", "/docs"].map(
      (path) =>
        `warn operation-4xx-response #/paths/${path.replace(/\//g, "~1")}/get/responses: Operation must have at least one \`4XX\` response.`,
    ),
  );
});
