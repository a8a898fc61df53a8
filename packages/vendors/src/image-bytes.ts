import type { VendorId } from "@facegate/core";
import { malformed } from "./classification";

/** Image types a vendor may hand back, told by their first bytes (headers lie; magic numbers do not). */
export function sniffImageType(bytes: Buffer): string | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG)) return "image/png";
  if (
    bytes.length >= 12 &&
    bytes.toString("latin1", 0, 4) === "RIFF" &&
    bytes.toString("latin1", 8, 12) === "WEBP"
  )
    return "image/webp";
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString("latin1", 0, 6))) return "image/gif";
  if (bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d) return "image/bmp";
  return undefined;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A base64 image from a vendor body. Tolerates a `data:` prefix and line breaks; refuses anything that
 * does not decode to a known image, since storing garbage as a "result" would be worse than retrying.
 */
export function decodeBase64Image(vendor: VendorId, text: string): { bytes: Buffer; contentType: string } {
  const payload = text.startsWith("data:") ? text.slice(text.indexOf(",") + 1) : text;
  const compact = payload.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 === 1 || !BASE64.test(compact)) {
    throw malformed(vendor, "result image is not base64");
  }
  const bytes = Buffer.from(compact, "base64");
  const contentType = sniffImageType(bytes);
  if (!contentType) throw malformed(vendor, "result is not an image");
  return { bytes, contentType };
}
