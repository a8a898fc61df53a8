import { openApiDocument } from "@facegate/api/openapi";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * Does an answer of the API match its OpenAPI document (the very one `/openapi.json` serves)?
 * The status is declared for the operation, the body's media type is declared, a JSON body
 * matches its schema, every required header is there and no header is sent undeclared. Each
 * finding says what to declare, and where.
 */

/** One answer as a client received it. */
export interface SeenResponse {
  method: string;
  /** The request target: path and query. */
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body, when it is JSON (others are only counted). */
  body?: Buffer;
  bodyBytes: number;
}

type Json = Record<string, any>;

/**
 * Headers any answer may carry without the document naming them: HTTP framing and caching, and
 * the security headers helmet puts on every answer alike.
 */
const GENERIC_HEADERS = new Set([
  "accept-ranges",
  "cache-control",
  "connection",
  "content-length",
  "content-type",
  "date",
  "etag",
  "keep-alive",
  "last-modified",
  "transfer-encoding",
  "vary",
  "content-security-policy",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "origin-agent-cluster",
  "referrer-policy",
  "strict-transport-security",
  "x-content-type-options",
  "x-dns-prefetch-control",
  "x-download-options",
  "x-frame-options",
  "x-permitted-cross-domain-policies",
  "x-xss-protection",
]);

/**
 * Paths the document describes by their mount point only, since what answers under them is a
 * whole application of its own: Swagger UI's files (`/docs/…`), bull-board's pages and API
 * (`/admin/queues/…`), the web console's files (`/console/…`).
 */
const SELF_SERVING = [/^\/docs\//, /^\/admin\/queues\//, /^\/console(\/|$)/];

const WHERE =
  "apps/api/src/openapi/paths/ (a route's `responses` or `problems`; shared headers and statuses in responses.ts)";

interface Operation {
  template: string;
  pattern: RegExp;
  /** Literal segments first: `/v1/admin/keys` wins over `/v1/{x}/keys`. */
  params: number;
  methods: Record<string, Json>;
}

let compiled: { doc: Json; ajv: Ajv2020; operations: Operation[] } | undefined;

function load() {
  if (compiled) return compiled;
  const doc = structuredClone(openApiDocument()) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, "openapi");
  const operations = Object.entries(doc.paths as Record<string, Json>)
    .map(([template, methods]) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`),
      params: (template.match(/\{/g) ?? []).length,
      methods,
    }))
    .sort((a, b) => a.params - b.params);
  compiled = { doc, ajv, operations };
  return compiled;
}

const pointer = (...parts: string[]) =>
  parts.map((p) => encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");

function validator(ajv: Ajv2020, ref: string): ValidateFunction {
  const found = ajv.getSchema(`openapi#/${ref}`);
  if (!found) throw new Error(`no schema at ${ref}`);
  return found;
}

const mediaType = (value: unknown) =>
  String(value ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();

/** What is wrong with this answer, one sentence each; empty when it matches the document. */
export function conformanceFindings(seen: SeenResponse): string[] {
  const { doc, ajv, operations } = load();
  const method = seen.method.toLowerCase();
  const path = seen.path.split("?")[0]!;
  const operation = operations.find((o) => o.pattern.test(path) && o.methods[method]);
  const what = `${seen.method.toUpperCase()} ${path} answered ${seen.status}`;

  if (!operation) {
    if (SELF_SERVING.some((p) => p.test(path))) return [];
    // Express's own fallback: an unknown path or method is a 404 problem.
    if (seen.status === 404 && mediaType(seen.headers["content-type"]) === "application/problem+json")
      return checkBody(ajv, seen, "components/schemas/Problem", what);
    return [
      `${what}, but the document has no operation for ${seen.method.toUpperCase()} ${path}: add the route to ${WHERE}`,
    ];
  }

  const op = operation.methods[method] as Json;
  const name = `${what} (operation ${op.operationId}, ${seen.method.toUpperCase()} ${operation.template})`;
  let response = op.responses[String(seen.status)] ?? op.responses[`${String(seen.status)[0]}XX`];
  let responseRef = pointer("paths", operation.template, method, "responses", String(seen.status));
  if (!response) {
    const code = seen.body ? ` (code ${JSON.stringify(parseJson(seen.body)?.code)})` : "";
    return [`${name}${code}: status ${seen.status} is not declared; declare it in ${WHERE}`];
  }
  if (response.$ref) {
    responseRef = String(response.$ref).slice(2);
    response = resolve(doc, response.$ref);
  }

  const findings: string[] = [];
  const declaredHeaders = Object.fromEntries(
    Object.entries((response.headers ?? {}) as Record<string, Json>).map(([k, v]) => [k.toLowerCase(), v]),
  );
  for (const [header, spec] of Object.entries(declaredHeaders)) {
    if (spec.required && seen.headers[header] === undefined)
      findings.push(`${name}: the required header ${header} is missing`);
  }
  for (const header of Object.keys(seen.headers)) {
    const lower = header.toLowerCase();
    if (!GENERIC_HEADERS.has(lower) && !(lower in declaredHeaders))
      findings.push(`${name}: header ${header} is sent but not declared; declare it in ${WHERE}`);
  }

  const content = (response.content ?? {}) as Record<string, Json>;
  const type = mediaType(seen.headers["content-type"]);
  if (method !== "head" && seen.bodyBytes > 0) {
    if (!(type in content)) {
      findings.push(
        `${name}: a ${type || "untyped"} body is not declared (declared: ${Object.keys(content).join(", ") || "no body"}); declare it in ${WHERE}`,
      );
    } else if (isJson(type) && content[type]!.schema) {
      findings.push(...checkBody(ajv, seen, `${responseRef}/content/${pointer(type)}/schema`, name));
    }
  } else if (method !== "head" && Object.keys(content).length > 0 && seen.status !== 204) {
    findings.push(`${name}: the body is empty but ${Object.keys(content).join(", ")} is declared`);
  }
  return findings;
}

function checkBody(ajv: Ajv2020, seen: SeenResponse, ref: string, name: string): string[] {
  const body = seen.body ? parseJson(seen.body) : undefined;
  if (body === undefined) return [`${name}: the body is not JSON`];
  const validate = validator(ajv, ref);
  if (validate(body)) return [];
  const errors = (validate.errors ?? [])
    .slice(0, 5)
    .map(
      (e) => `${e.instancePath || "(root)"} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`,
    );
  return [
    `${name}: the body does not match its schema (${errors.join("; ")}): ${seen.body!.toString().slice(0, 300)}`,
  ];
}

function resolve(doc: Json, ref: string): Json {
  return ref
    .slice(2)
    .split("/")
    .reduce((node: Json, key) => node[key.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
}

function isJson(type: string) {
  return type === "application/json" || type.endsWith("+json");
}

function parseJson(body: Buffer): Json | undefined {
  try {
    return JSON.parse(body.toString());
  } catch {
    return undefined;
  }
}

/** Whether a media type's body is read (and buffered) for its schema. */
export function bodyIsChecked(contentType: unknown): boolean {
  return isJson(mediaType(contentType));
}
