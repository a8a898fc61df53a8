import { describe, expect, it } from "vitest";
import { userDirectory } from "./working-directory";

describe("userDirectory", () => {
  it("is npm's INIT_CWD when run as `npm run facegate`", () => {
    const env = {
      npm_lifecycle_event: "facegate",
      npm_package_name: "facegate",
      INIT_CWD: "/home/me/photos",
    };
    expect(userDirectory(env)).toBe("/home/me/photos");
  });

  it("is left alone otherwise: another npm script's INIT_CWD is not the CLI's business", () => {
    expect(userDirectory({ npm_lifecycle_event: "test", npm_package_name: "facegate", INIT_CWD: "/x" })).toBe(
      undefined,
    );
    expect(userDirectory({ INIT_CWD: "/x" })).toBe(undefined);
    expect(userDirectory({ npm_lifecycle_event: "facegate", npm_package_name: "facegate" })).toBe(undefined);
  });
});
