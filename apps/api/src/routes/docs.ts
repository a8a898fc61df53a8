import { createRequire } from "node:module";
import { dirname } from "node:path";
import express, { Router } from "express";
import helmet from "helmet";
import { openApiDocument } from "../openapi/document";

const require = createRequire(import.meta.url);
/** Swagger UI's built files, served from this machine: the reference works without internet. */
const SWAGGER_UI_DIR = dirname(require.resolve("swagger-ui-dist/package.json"));

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>facegate API reference</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

// A file, not an inline script, so the page's CSP needs no 'unsafe-inline' for scripts.
const INIT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;

/**
 * Swagger UI needs inline styles and data: images, and must work over plain HTTP (no
 * upgrade-insecure-requests); everything else stays on this origin. Only `/docs` gets this.
 */
const docsCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
  },
});

/** `/openapi.json` (built from the route registry) and the interactive reference at `/docs`. */
export function docsRouter(): Router {
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.setHeader("cache-control", "no-cache");
    res.json(openApiDocument());
  });
  router.get("/docs", docsCsp, (_req, res) => {
    res.type("html").send(PAGE);
  });
  router.get("/docs/init.js", (_req, res) => {
    res.type("application/javascript").send(INIT);
  });
  router.use("/docs", docsCsp, express.static(SWAGGER_UI_DIR, { index: false, maxAge: "1h" }));
  return router;
}
