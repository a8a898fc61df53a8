import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectBatchSource, describeSkipped } from "./collect";

let root: string;
const at = (name: string) => join(root, name);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "facegate-collect-"));
  mkdirSync(at("photos/day 2/late"), { recursive: true });
  mkdirSync(at("elsewhere"));
  writeFileSync(at("photos/a.jpg"), "a");
  writeFileSync(at("photos/notes.txt"), "n");
  writeFileSync(at("photos/.DS_Store"), "h");
  writeFileSync(at("photos/day 2/b.png"), "b");
  writeFileSync(at("photos/day 2/late/c.webp"), "c");
  writeFileSync(at("elsewhere/d.jpg"), "d");
  symlinkSync(at("elsewhere"), at("photos/linked"));
  mkdirSync(at("nested-only/inner"), { recursive: true });
  writeFileSync(at("nested-only/inner/e.jpg"), "e");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("collectBatchSource", () => {
  it("takes the photos of every subfolder by default, and names what it leaves out and why", () => {
    const source = collectBatchSource(at("photos"));
    if (source.kind !== "targets") throw new Error("expected targets");
    expect(source.files).toEqual([
      at("photos/a.jpg"),
      at("photos/day 2/b.png"),
      at("photos/day 2/late/c.webp"),
    ]);
    expect(source.skipped).toEqual([
      { name: "linked/", reason: "link to a folder (not followed)" },
      { name: "notes.txt", reason: "not an image" },
    ]);
    expect(describeSkipped(source.skipped)).toBe(
      "1 link to a folder (not followed): linked/; 1 not an image: notes.txt",
    );
  });

  it("with recursive off, lists the subfolders it did not enter", () => {
    const source = collectBatchSource(at("photos"), { recursive: false });
    if (source.kind !== "targets") throw new Error("expected targets");
    expect(source.files).toEqual([at("photos/a.jpg")]);
    expect(source.skipped.map((s) => s.name)).toEqual(["day 2/", "linked/", "notes.txt"]);
  });

  it("a folder whose photos are all in subfolders is refused with recursive off, saying which", () => {
    expect(() => collectBatchSource(at("nested-only"), { recursive: false })).toThrow(
      /no image files in .*nested-only \(skipped: 1 subfolder \(--no-recursive\): inner\/\)/,
    );
    const source = collectBatchSource(at("nested-only"));
    expect(source.kind === "targets" && source.files).toEqual([at("nested-only/inner/e.jpg")]);
  });
});
