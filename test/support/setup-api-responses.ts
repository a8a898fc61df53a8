import { afterAll, afterEach } from "vitest";
import { installApiResponseChecks, takeFindings } from "./api-responses";

/**
 * Runs before every test file: an answer from a watched API that its OpenAPI document does not
 * declare fails the test that received it (or, received in a hook, the file).
 */
installApiResponseChecks();

function failOnFindings() {
  const findings = takeFindings();
  if (findings.length > 0)
    throw new Error(
      `answers that /openapi.json does not declare (${findings.length}):\n- ${[...new Set(findings)].join("\n- ")}`,
    );
}

afterEach(failOnFindings);
afterAll(failOnFindings);
