import { mkdtempSync, openAsBlob, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeMultipart } from "./multipart";

const dir = mkdtempSync(join(tmpdir(), "facegate-multipart-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("encodeMultipart", () => {
  it("yields exactly the announced bytes, counted as they are read, and parses back", async () => {
    const file = join(dir, "photo.jpg");
    const bytes = Buffer.alloc(300_000, 7);
    writeFileSync(file, bytes);
    const form = new FormData();
    form.set("operation", "face_fusion");
    form.set("note", 'line one\nline "two"');
    form.append("targets", await openAsBlob(file), "photo.jpg");
    form.append("targets", new Blob([Buffer.from("second")], { type: "image/png" }), 'odd"name.png');

    const seen: [number, number][] = [];
    const encoded = encodeMultipart(form, (sent, total) => seen.push([sent, total]));
    const body = await readAll(encoded.body);

    expect(body.length).toBe(encoded.length);
    expect(seen.at(-1)).toEqual([encoded.length, encoded.length]);
    // Counted chunk by chunk (the file is read in pieces), never going backwards.
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every(([sent], i) => i === 0 || sent > seen[i - 1]![0])).toBe(true);

    const parsed = await new Response(body, { headers: { "content-type": encoded.contentType } }).formData();
    expect(parsed.get("operation")).toBe("face_fusion");
    expect(parsed.get("note")).toBe('line one\r\nline "two"');
    const [photo, second] = parsed.getAll("targets") as File[];
    expect(photo!.name).toBe("photo.jpg");
    expect(Buffer.from(await photo!.arrayBuffer()).equals(bytes)).toBe(true);
    expect(second!.name).toBe('odd"name.png');
    expect(second!.type).toBe("image/png");
  });
});
