/**
 * Strict base64 for image fields. Node's decoder skips characters it does not know, which would
 * turn garbage into "some bytes"; vendors decode strictly, so an adapter that sends a data: URL
 * or URL-safe base64 must see it refused here as it would be there. Line breaks are tolerated
 * (MIME-style wrapping is common and harmless).
 */

const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeBase64Strict(text: string): Buffer | null {
  const compact = text.replace(/[\r\n]/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !STRICT_BASE64.test(compact)) return null;
  return Buffer.from(compact, "base64");
}
