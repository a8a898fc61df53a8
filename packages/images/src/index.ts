export { showsColour } from "./colour";
export { isComplete, isCompleteTail, TAIL_BYTES, TailWindow } from "./completeness";
export { cropRegion, type Region } from "./crop";
export { ImageError, type ImageErrorCode } from "./errors";
export { type MarkedImage, type MarkOptions, markAiGenerated } from "./mark";
export { type NormalisedImage, type NormaliseOptions, normaliseForVendor } from "./normalise";
export { DEFAULT_MAX_PIXELS, type ProbedImage, type ProbeOptions, probeImage } from "./probe";
export { SNIFF_BYTES, sniffFormat } from "./sniff";
export { STRIPPABLE_FORMATS, stripMetadata } from "./strip";
export { THUMBNAIL_PX, thumbnail } from "./thumbnail";
export {
  buildXmpPacket,
  DIGITAL_SOURCE_TYPE_BASE,
  DIGITAL_SOURCE_TYPES,
  type DigitalSourceType,
  parseDigitalSourceType,
  readDigitalSourceType,
} from "./xmp";
