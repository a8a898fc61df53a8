/**
 * The jobs API's request and response schemas live in `@facegate/core/api-schemas`, where the
 * typed client can use them without depending on the HTTP server. This path stays for the routes.
 */
export * from "@facegate/core/api-schemas";
