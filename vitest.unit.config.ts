import { defineConfig } from "vitest/config";

/**
 * The unit tier (`npm run test:unit`): the tests beside the code in apps/ and packages/, in
 * seconds. Left to `npm test`: the ones that load face models, and the end-to-end tier's check of every API response against the OpenAPI document (only
 * test/ talks to the API). Redis and S3 are still real: the global setup starts them.
 */
export default defineConfig({
  test: {
    include: ["apps/*/src/**/*.test.ts", "packages/*/src/**/*.test.ts"],
    exclude: ["packages/vendors/src/local/**", "packages/faces/src/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files share one module cache per thread: the tier's cost is then its tests, not re-importing
    // sharp, undici and the AWS SDK for every file (70 s against 28 s on 2 cores).
    pool: "threads",
    isolate: false,
    globalSetup: ["test/support/global-setup.ts"],
  },
});
