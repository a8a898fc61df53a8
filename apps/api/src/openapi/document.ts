import { problemSchema } from "@facegate/core/api-schemas";
import { z } from "zod";
import { COMPONENTS, ROUTES, TAGS } from "./registry";
import { automaticProblems, header, operationHeaders, problemResponse } from "./responses";
import type { Access, RouteSpec } from "./route";

type Json = Record<string, unknown>;
type Io = "input" | "output";

const REF = (name: string) => `#/components/schemas/${name}`;

/**
 * Turn zod schemas into JSON Schema (2020-12, as OpenAPI 3.1 uses): named components become
 * `$ref`s wherever they appear, everything else is inlined.
 */
class SchemaSet {
  private readonly registry = z.registry<{ id: string }>();
  private readonly anonymous = new Map<z.ZodType, string>();
  private rendered: Record<string, Json> | undefined;

  constructor(
    private readonly io: Io,
    named: Record<string, z.ZodType>,
  ) {
    for (const [id, schema] of Object.entries(named)) this.registry.add(schema, { id });
  }

  /** Note a schema used by an operation; the handle it returns resolves once all are noted. */
  use(schema: z.ZodType): () => Json {
    if (this.rendered) throw new Error("every schema must be noted before the first is resolved");
    const id = this.registry.get(schema)?.id;
    if (id && !this.anonymous.has(schema)) return () => ({ $ref: REF(id) });
    let anon = this.anonymous.get(schema);
    if (!anon) {
      anon = `__${this.io}_${this.anonymous.size}`;
      this.anonymous.set(schema, anon);
      this.registry.add(schema, { id: anon });
    }
    const key = anon;
    return () => structuredClone(this.all()[key]!);
  }

  /** The named components, rendered. */
  components(): Record<string, Json> {
    return Object.fromEntries(Object.entries(this.all()).filter(([id]) => !id.startsWith("__")));
  }

  private all(): Record<string, Json> {
    if (!this.rendered) {
      const { schemas } = z.toJSONSchema(this.registry, {
        io: this.io,
        target: "draft-2020-12",
        uri: REF,
        unrepresentable: "any",
      });
      this.rendered = Object.fromEntries(
        Object.entries(schemas).map(([id, schema]) => {
          const { $schema: _s, $id: _i, ...rest } = schema as Json;
          return [id, rest];
        }),
      );
    }
    return this.rendered;
  }
}

const SECURITY: Record<Access, Json[] | undefined> = {
  public: [],
  api_key: [{ apiKey: [] }],
  admin: [{ adminBearer: [] }, { adminBasic: [] }],
  admin_if_configured: [{}, { adminBearer: [] }, { adminBasic: [] }],
};

/** `/v1/jobs/:id` → `/v1/jobs/{id}`. */
export function openapiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, "{$1}");
}

/** Build the OpenAPI 3.1 document from the route registry. */
export function buildOpenApiDocument(routes: readonly RouteSpec[] = ROUTES): Json {
  const input = new SchemaSet("input", COMPONENTS.input);
  const output = new SchemaSet("output", COMPONENTS.output);
  // Schema handles are collected first and resolved once every schema is registered.
  const pending: (() => void)[] = [];
  const paths: Record<string, Record<string, Json>> = {};
  const problemStatuses = new Set<number>();

  for (const spec of routes) {
    const operation: Json = {
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [...spec.tags],
      security: SECURITY[spec.access],
    };
    const parameters: Json[] = [];
    const addParameters = (where: "path" | "query" | "header", schema: z.ZodObject | undefined) => {
      if (!schema) return;
      const handle = input.use(schema);
      pending.push(() => {
        const json = handle() as { properties?: Record<string, Json>; required?: string[] };
        for (const [name, property] of Object.entries(json.properties ?? {})) {
          const { description, ...rest } = property as Json & { description?: string };
          parameters.push({
            name,
            in: where,
            required: where === "path" || (json.required ?? []).includes(name),
            ...(description ? { description } : {}),
            schema: rest,
          });
        }
      });
    };
    addParameters("path", spec.params);
    addParameters("query", spec.query);
    addParameters("header", spec.headers);
    pending.push(() => {
      if (parameters.length > 0) operation.parameters = parameters;
    });

    if (spec.body) {
      const content: Json = {};
      if (spec.body.json) {
        const handle = input.use(spec.body.json);
        pending.push(() => {
          content["application/json"] = { schema: handle() };
        });
      }
      const multipart = spec.body.multipart;
      if (multipart) {
        const handle = input.use(multipart.fields);
        pending.push(() => {
          const fields = handle() as { properties?: Json; required?: string[] };
          const files = Object.entries(multipart.files);
          // `format: binary` as well: generators key their file type on it (see docs/api-clients.md).
          const binary = { type: "string", format: "binary", contentMediaType: "application/octet-stream" };
          content["multipart/form-data"] = {
            schema: {
              ...fields,
              properties: {
                ...fields.properties,
                ...Object.fromEntries(
                  files.map(([name, f]) => [
                    name,
                    f.multiple
                      ? { type: "array", items: binary, description: f.description }
                      : { ...binary, description: f.description },
                  ]),
                ),
              },
              required: [...(fields.required ?? []), ...files.filter(([, f]) => f.required).map(([n]) => n)],
            },
          };
        });
      }
      operation.requestBody = { required: true, content };
    }

    const responses: Json = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      const rendered: Json = {
        description: response.description,
        headers: {
          ...operationHeaders(spec.access),
          ...Object.fromEntries(
            Object.entries(response.headers ?? {}).map(([name, h]) => [
              name,
              typeof h === "string" ? header(h, true) : header(h.description, false),
            ]),
          ),
        },
      };
      if (response.json) {
        const handle = output.use(response.json);
        pending.push(() => {
          rendered.content = { "application/json": { schema: handle() } };
        });
      } else if (response.content) {
        rendered.content = { [response.content.type]: { schema: response.content.schema ?? {} } };
      }
      responses[status] = rendered;
    }
    const problems = new Set([...(spec.problems ?? []), ...automaticProblems(spec.access)]);
    for (const status of [...problems].sort((a, b) => a - b)) {
      problemStatuses.add(status);
      responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
    }
    operation.responses = responses;

    const path = openapiPath(spec.path);
    paths[path] ??= {};
    if (paths[path][spec.method]) throw new Error(`${spec.method.toUpperCase()} ${path} is declared twice`);
    paths[path][spec.method] = operation;
  }
  // The Problem schema is always there: every error answer uses it.
  output.use(problemSchema);
  for (const resolve of pending) resolve();

  const inputComponents = input.components();
  const outputComponents = output.components();
  for (const name of Object.keys(inputComponents)) {
    if (name in outputComponents)
      throw new Error(`component ${name} is both a request and a response schema`);
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "facegate",
      version: "1.0.0",
      summary: "Asynchronous gateway in front of face-fusion vendor APIs.",
      description:
        "Send photos; facegate queues the work, calls the vendors within their rate limits, retries what " +
        "can be retried, stores every result in your S3 bucket and tells you through signed webhooks, " +
        "polling or a blocking wait. Errors are RFC 9457 problem details with a stable `code`.",
      license: { name: "MIT", identifier: "MIT" },
    },
    // Relative: the server that serves this document is the one it describes.
    servers: [{ url: "/", description: "The facegate serving this document." }],
    tags: TAGS,
    paths,
    components: {
      schemas: { ...inputComponents, ...outputComponents },
      responses: Object.fromEntries(
        [...problemStatuses]
          .sort((a, b) => a - b)
          .map((status) => [`Problem${status}`, problemResponse(status)]),
      ),
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          description: "A tenant's API key: `Authorization: Bearer <key>`.",
        },
        adminBearer: { type: "http", scheme: "bearer", description: "ADMIN_API_KEY as a bearer token." },
        adminBasic: {
          type: "http",
          scheme: "basic",
          description: "ADMIN_API_KEY as the basic-auth password (any user name).",
        },
      },
    },
  };
}

let cached: Json | undefined;

/** The document of the routes this build serves, built once. */
export function openApiDocument(): Json {
  cached ??= buildOpenApiDocument();
  return cached;
}
