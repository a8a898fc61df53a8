import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeZip } from "../../../../test/support/zips";
import { unzipFlat } from "./unzip";

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A zip at `<root>/in.zip` and an empty `<root>/out` to unpack it into. */
async function setUp(entries: Parameters<typeof makeZip>[0]) {
  root = mkdtempSync(join(tmpdir(), "facegate-unzip-"));
  const zip = join(root, "in.zip");
  writeFileSync(zip, await makeZip(entries));
  const out = join(root, "out");
  mkdirSync(out);
  return { zip, out };
}

describe("unzipFlat", () => {
  it("writes every entry under its base name only: hostile paths stay inside the folder", async () => {
    const { zip, out } = await setUp([
      { name: "anna.jpg", data: Buffer.from("a") },
      { name: "xx/xx/evil1.jpg", raw: "../../evil1.jpg", data: Buffer.from("b") },
      { name: "xetc/evil2.jpg", raw: "/etc/evil2.jpg", data: Buffer.from("c") },
      { name: "sub/dir/deep.jpg", data: Buffer.from("d") },
      { name: "wi/evil3.jpg", raw: "..\\evil3.jpg", data: Buffer.from("e") },
      { name: "folder/", data: Buffer.alloc(0) },
      { name: "sub/.hidden", data: Buffer.from("f") },
    ]);
    const written = await unzipFlat(zip, out);
    expect(written.sort()).toEqual(["anna.jpg", "deep.jpg", "evil1.jpg", "evil2.jpg", "evil3.jpg"]);
    expect(readdirSync(out).sort()).toEqual(written);
    // Nothing landed beside the folder or above it.
    expect(readdirSync(root!).sort()).toEqual(["in.zip", "out"]);
    expect(readFileSync(join(out, "evil1.jpg"), "utf8")).toBe("b");
  });

  it("keeps both of two entries with the same base name, and never overwrites a reserved one", async () => {
    const { zip, out } = await setUp([
      { name: "a/photo.jpg", data: Buffer.from("1") },
      { name: "b/photo.jpg", data: Buffer.from("2") },
      { name: "in.zip", data: Buffer.from("3") },
    ]);
    const written = await unzipFlat(zip, out, { reserved: ["in.zip"] });
    expect(written).toEqual(["photo.jpg", "photo-2.jpg", "in-2.zip"]);
    expect(readFileSync(join(out, "photo-2.jpg"), "utf8")).toBe("2");
  });
});
