import { buildOpenApiDocument } from "@facegate/api/openapi";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { expect, it } from "vitest";

/**
 * An independent linter (Redocly's, with its `recommended` rules, offline) finds no error in the
 * document. Its one kind of warning is accepted where it is true by design: a public route taking
 * no input (liveness, readiness, this reference, the console page) has no 4xx answer to declare.
 */
it("passes Redocly's recommended rules", async () => {
  const document = buildOpenApiDocument() as { paths: Record<string, Record<string, { security?: [] }>> };
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({
    source: JSON.stringify(document),
    absoluteRef: "openapi.json",
    config,
  });
  const shown = problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
  expect(shown.filter((p) => p.startsWith("error"))).toEqual([]);
  const publicOperations = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, op]) => op.security?.length === 0)
      .map(([method]) => `#/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/${method}/responses`),
  );
  const unexpected = problems.filter(
    (p) =>
      p.severity !== "error" &&
      !(p.ruleId === "operation-4xx-response" && publicOperations.includes(p.location[0]?.pointer ?? "")),
  );
  expect(unexpected.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
});
