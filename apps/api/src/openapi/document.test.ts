import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildOpenApiDocument, openapiPath } from "./document";
import { route } from "./route";

const widget = z.object({ id: z.string(), size: z.int().default(1) });

const ROUTES = [
  route({
    method: "post",
    path: "/v1/widgets/:id/parts",
    operationId: "addPart",
    summary: "Add a part",
    tags: ["widgets"],
    access: "api_key",
    params: z.object({ id: z.string().describe("The widget.") }),
    query: z.object({ dry_run: z.enum(["true", "false"]).optional() }),
    body: {
      json: z.strictObject({ name: z.string(), count: z.int().default(1) }),
      multipart: {
        fields: z.strictObject({ name: z.string() }),
        files: { photos: { description: "Pictures.", multiple: true, required: true } },
      },
    },
    responses: { 201: { description: "Added.", json: widget } },
    problems: [404, 422],
  }),
  route({
    method: "get",
    path: "/healthz",
    operationId: "health",
    summary: "Health",
    tags: ["ops"],
    access: "public",
    responses: { 200: { description: "Up.", content: { type: "text/plain" } } },
  }),
];

describe("buildOpenApiDocument", () => {
  const doc = buildOpenApiDocument(ROUTES) as any;
  const op = doc.paths["/v1/widgets/{id}/parts"].post;

  it("turns express paths into OpenAPI paths", () => {
    expect(openapiPath("/v1/jobs/:id/cancel")).toBe("/v1/jobs/{id}/cancel");
    expect(Object.keys(doc.paths)).toEqual(["/v1/widgets/{id}/parts", "/healthz"]);
  });

  it("lists path and query parameters with their descriptions", () => {
    expect(op.parameters).toEqual([
      { name: "id", in: "path", required: true, description: "The widget.", schema: { type: "string" } },
      { name: "dry_run", in: "query", required: false, schema: { type: "string", enum: ["true", "false"] } },
    ]);
  });

  it("renders request bodies as clients send them: defaults are optional", () => {
    const json = op.requestBody.content["application/json"].schema;
    expect(json.required).toEqual(["name"]);
    const form = op.requestBody.content["multipart/form-data"].schema;
    expect(form.properties.photos).toMatchObject({ type: "array", description: "Pictures." });
    expect(form.required).toEqual(["name", "photos"]);
  });

  it("renders responses as the API answers, with problem details and auth", () => {
    expect(op.responses["201"].content["application/json"].schema.required).toEqual(["id", "size"]);
    expect(Object.keys(op.responses)).toEqual(["201", "401", "404", "413", "422", "429", "503"]);
    expect(Object.keys(op.responses["201"].headers)).toEqual([
      "X-Request-Id",
      "RateLimit",
      "RateLimit-Policy",
    ]);
    expect(doc.components.responses.Problem401.headers["WWW-Authenticate"].required).toBe(true);
    expect(doc.components.responses.Problem503.headers["Retry-After"].required).toBe(true);
    expect(doc.paths["/healthz"].get.responses["200"].headers).toEqual({
      "X-Request-Id": expect.objectContaining({ required: true }),
    });
    expect(op.responses["404"]).toEqual({ $ref: "#/components/responses/Problem404" });
    expect(doc.components.responses.Problem404.content).toHaveProperty("application/problem+json");
    expect(op.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths["/healthz"].get.security).toEqual([]);
  });

  it("refuses a route declared twice", () => {
    expect(() => buildOpenApiDocument([ROUTES[1]!, ROUTES[1]!])).toThrow(/declared twice/);
  });
});
