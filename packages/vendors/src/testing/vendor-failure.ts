import { VendorError } from "@facegate/core";
import { expect } from "vitest";

/** The VendorError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function vendorFailure(promise: Promise<unknown>): Promise<VendorError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VendorError);
  return error as VendorError;
}
