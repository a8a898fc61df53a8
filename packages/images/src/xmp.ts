import { findJpegXmp } from "./jpeg-segments";
import { findPngXmp } from "./png-chunks";
import { sniffFormat } from "./sniff";

/**
 * IPTC Digital Source Type, the machine-readable "made by AI" statement EU AI Act Art. 50(2)
 * asks of generated images. Face fusion blends a real photo with generated content, so it is a
 * composite; a wholly generated picture is plain `trainedAlgorithmicMedia`.
 */
export const DIGITAL_SOURCE_TYPES = [
  "trainedAlgorithmicMedia",
  "compositeWithTrainedAlgorithmicMedia",
] as const;
export type DigitalSourceType = (typeof DIGITAL_SOURCE_TYPES)[number];

export const DIGITAL_SOURCE_TYPE_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/";
const IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";

/**
 * A minimal, valid XMP packet: the source type plus `xmp:CreatorTool`, so a person reading the
 * metadata also sees which system wrote it. No timestamps or ids: the same input marks to the
 * same bytes, which keeps outputs reproducible and their sha256 stable.
 */
export function buildXmpPacket(source: DigitalSourceType): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    `    xmlns:Iptc4xmpExt="${IPTC_EXT_NS}"`,
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `   <Iptc4xmpExt:DigitalSourceType>${DIGITAL_SOURCE_TYPE_BASE}${source}</Iptc4xmpExt:DigitalSourceType>`,
    "   <xmp:CreatorTool>facegate</xmp:CreatorTool>",
    "  </rdf:Description>",
    " </rdf:RDF>",
    "</x:xmpmeta>",
    '<?xpacket end="w"?>',
  ].join("\n");
}

/**
 * The DigitalSourceType URI in an XMP packet, written by anyone: the namespace may be bound to
 * any prefix, and RDF allows the value as an element, an attribute or an `rdf:resource`.
 * Pattern matching rather than an XML parser: this reads one property and must not pull in a
 * dependency or expand entities from untrusted files.
 */
export function parseDigitalSourceType(xmp: string): string | undefined {
  const ns = IPTC_EXT_NS.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const prefix = new RegExp(`xmlns:([\\w.-]+)\\s*=\\s*["']${ns}["']`).exec(xmp)?.[1];
  if (prefix === undefined) return undefined;
  const name = `${prefix}:DigitalSourceType`;
  const forms = [
    new RegExp(`<${name}>\\s*([^<\\s]+)\\s*</${name}>`), // element
    new RegExp(`<${name}\\s[^>]*rdf:resource\\s*=\\s*["']([^"']+)["']`), // resource
    new RegExp(`[\\s"']${name}\\s*=\\s*["']([^"']+)["']`), // attribute on rdf:Description
  ];
  for (const form of forms) {
    const match = form.exec(xmp);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

/**
 * The IPTC DigitalSourceType an image declares, for users' and tests' checks. JPEG and PNG are
 * read structurally; other formats (WebP, TIFF, GIF, HEIF store XMP as raw XML) by locating the
 * packet in the bytes. Undefined when there is none or the file is not a readable image.
 */
export function readDigitalSourceType(bytes: Buffer): string | undefined {
  try {
    const xmp = findXmp(bytes);
    return xmp === undefined ? undefined : parseDigitalSourceType(xmp.toString("utf8"));
  } catch {
    return undefined; // a file we cannot parse declares nothing
  }
}

function findXmp(bytes: Buffer): Buffer | undefined {
  const format = sniffFormat(bytes);
  if (format === "jpeg") return findJpegXmp(bytes);
  if (format === "png") return findPngXmp(bytes);
  if (format === undefined) return undefined;
  const start = bytes.indexOf("<x:xmpmeta");
  if (start < 0) return undefined;
  const close = "</x:xmpmeta>";
  const end = bytes.indexOf(close, start);
  return end < 0 ? undefined : bytes.subarray(start, end + close.length);
}
