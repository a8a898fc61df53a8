/**
 * What a vendor's documentation says an error code means, in the simulator's own words. Each
 * vendor's table in this app gives every code it can answer one meaning, read from that vendor's
 * pages (docs/vendors.md summarises them). The gateway's adapters keep their own tables; the
 * contract suite (test/contract) checks that each adapter classifies every code the way its
 * meaning here says, so the two readings are compared and neither is copied from the other.
 */
export type Meaning =
  | "rate_limit"
  | "transient"
  | "vendor_timeout"
  | "credentials"
  | "billing"
  | "configuration"
  | "bad_request"
  | "bad_image"
  /** A readable image of a kind this vendor does not take (black-and-white). */
  | "image_not_accepted"
  | "image_too_large"
  | "image_too_small"
  | "no_face"
  | "content";
