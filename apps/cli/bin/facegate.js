#!/usr/bin/env node
// The `facegate` command. The CLI is TypeScript run through tsx, so it needs no build step:
// register tsx's loader first, then load the real entry.
const { register } = await import("tsx/esm/api");
register();
await import("../src/main.ts");
