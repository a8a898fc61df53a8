import { writeFile } from "node:fs/promises";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

/**
 * Generate TypeScript types for facegate's API from its OpenAPI document, for openapi-fetch:
 *
 *   npx tsx examples/generated-client/generate.ts http://127.0.0.1:8080/openapi.json facegate-api.d.ts
 *
 * The one option beyond openapi-typescript's defaults: file parts (`format: binary`) become
 * `Blob`, so that multipart bodies take files without casts.
 */
const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));

export async function generateTypes(document: string | URL | object): Promise<string> {
  const source = typeof document === "string" ? new URL(document) : document;
  const ast = await openapiTS(source as URL, {
    transform: (schema) => (schema.format === "binary" ? BLOB : undefined),
  });
  return astToString(ast);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) {
    console.error("usage: generate.ts <openapi.json URL> <output .d.ts>");
    process.exit(2);
  }
  await writeFile(to, await generateTypes(from));
}
