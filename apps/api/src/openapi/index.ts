export { buildOpenApiDocument, openApiDocument, openapiPath } from "./document";
export { ROUTES, TAGS, UNDOCUMENTED } from "./registry";
export type { Access, HttpMethod, ResponseSpec, RouteSpec } from "./route";
export { type ServedRoute, type ServingMount, servedRoutes } from "./served-routes";
