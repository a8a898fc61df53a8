import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  buildXmpPacket,
  DIGITAL_SOURCE_TYPE_BASE,
  parseDigitalSourceType,
  readDigitalSourceType,
} from "./xmp";

const COMPOSITE = `${DIGITAL_SOURCE_TYPE_BASE}compositeWithTrainedAlgorithmicMedia`;

describe("buildXmpPacket", () => {
  it("is a wrapped x:xmpmeta/rdf:RDF packet that reads back", () => {
    const packet = buildXmpPacket("compositeWithTrainedAlgorithmicMedia");
    expect(packet).toMatch(/^<\?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"\?>/);
    expect(packet).toMatch(/<\?xpacket end="w"\?>$/);
    expect(packet).toContain("<x:xmpmeta");
    expect(packet).toContain("<rdf:RDF");
    expect(parseDigitalSourceType(packet)).toBe(COMPOSITE);
  });

  it("is deterministic, so outputs hash the same", () => {
    expect(buildXmpPacket("trainedAlgorithmicMedia")).toBe(buildXmpPacket("trainedAlgorithmicMedia"));
  });
});

describe("parseDigitalSourceType", () => {
  const ns = 'xmlns:ext="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"';

  it("accepts any prefix and the attribute and resource forms", () => {
    expect(parseDigitalSourceType(`<rdf:Description ${ns} ext:DigitalSourceType="${COMPOSITE}"/>`)).toBe(
      COMPOSITE,
    );
    expect(
      parseDigitalSourceType(`<rdf:Description ${ns}><ext:DigitalSourceType rdf:resource='${COMPOSITE}'/>`),
    ).toBe(COMPOSITE);
  });

  it("ignores the property without the IPTC namespace", () => {
    expect(
      parseDigitalSourceType(`<a xmlns:ext="urn:other"><ext:DigitalSourceType>x</ext:DigitalSourceType>`),
    ).toBe(undefined);
  });
});

describe("readDigitalSourceType", () => {
  it("finds the packet in formats it does not parse structurally", async () => {
    const webp = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#f80" } })
      .webp()
      .withXmp(buildXmpPacket("trainedAlgorithmicMedia"))
      .toBuffer();
    expect(readDigitalSourceType(webp)).toBe(`${DIGITAL_SOURCE_TYPE_BASE}trainedAlgorithmicMedia`);
  });

  it("says nothing for unmarked images and non-images", async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#f80" } })
      .jpeg()
      .toBuffer();
    expect(readDigitalSourceType(jpeg)).toBeUndefined();
    expect(readDigitalSourceType(Buffer.from("not an image"))).toBeUndefined();
    expect(readDigitalSourceType(jpeg.subarray(0, 5))).toBeUndefined();
  });
});
