import { fromBuffer } from "yauzl";
import { ZipFile } from "yazl";

/**
 * A zip made in memory. yazl refuses hostile entry names, so an entry may carry `raw`: the name
 * written into the archive's bytes afterwards (`../../x.jpg`, `/etc/x.jpg`), the same length as
 * `name`, as an attacker's tool would.
 */
export async function makeZip(
  entries: { name: string; raw?: string; data: Buffer; compress?: boolean }[],
): Promise<Buffer> {
  const zip = new ZipFile();
  for (const e of entries) {
    if (e.name.endsWith("/")) zip.addEmptyDirectory(e.name);
    else zip.addBuffer(e.data, e.name, { compress: e.compress ?? true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  for (const e of entries) {
    if (!e.raw) continue;
    if (e.raw.length !== e.name.length) throw new Error("raw name must be as long as name");
    const from = Buffer.from(e.name);
    for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1))
      Buffer.from(e.raw).copy(bytes, at);
  }
  return bytes;
}

/** Every entry of a zip, with its bytes. */
export function readZip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out = new Map<string, Buffer>();
      zip.on("entry", (entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}
