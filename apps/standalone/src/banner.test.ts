import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startBanner } from "./banner";

const input = {
  url: "http://127.0.0.1:8080",
  notes: ["Redis     redis://127.0.0.1:40000"],
  apiKey: { tenant: "dev", key: "fg_dev_secret_api_key_1234" },
  adminKey: "fg_admin_secret_admin_key_1234",
  keyFiles: {
    api: join(process.cwd(), ".data", "dev-api-key"),
    admin: join(process.cwd(), ".data", "dev-admin-key"),
  },
};

describe("npm start's banner", () => {
  it("shows the keys and a curl that works as it is to a terminal", () => {
    const text = startBanner({ ...input, interactive: true });
    expect(text).toContain(
      'API key   fg_dev_secret_api_key_1234   (tenant "dev"; kept in .data/dev-api-key)',
    );
    expect(text).toMatch(/Admin key fg_admin_secret_admin_key_1234 .*kept in \.data\/dev-admin-key/);
    expect(text).toContain('-H "Authorization: Bearer fg_dev_secret_api_key_1234"');
    expect(text).toContain("Console   http://127.0.0.1:8080/console");
  });

  it("names the files instead of the keys when stdout is not a terminal", () => {
    const text = startBanner({ ...input, interactive: false });
    expect(text).not.toContain("secret");
    expect(text).toContain("API key   in .data/dev-api-key");
    expect(text).toContain("Admin key in .data/dev-admin-key");
    expect(text).toContain('-H "Authorization: Bearer $(cat .data/dev-api-key)"');
  });

  it("says a key came from the environment without showing it", () => {
    const text = startBanner({ ...input, keyFiles: {}, interactive: false });
    expect(text).not.toContain("secret");
    expect(text).toContain("API key   from the environment");
  });
});
