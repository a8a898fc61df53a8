import helmet from "helmet";

/** The console's one HTML page: a shell the script fills. No inline script or style anywhere. */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>facegate console</title>
    <link rel="icon" type="image/svg+xml" href="/console/assets/icon.svg" />
    <link rel="stylesheet" href="/console/assets/app.css" />
    <script type="module" src="/console/assets/app.js"></script>
  </head>
  <body>
    <div id="app"><noscript>The console needs JavaScript.</noscript></div>
  </body>
</html>
`;

/**
 * Strict: scripts and styles from this origin only (files, never inline), pictures from here
 * or from blob: URLs the script made of images it fetched with the key, requests to this
 * origin only. Plain HTTP stays allowed (`npm start` serves over it).
 */
export const consoleCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "blob:"],
    "connect-src": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
  },
});
