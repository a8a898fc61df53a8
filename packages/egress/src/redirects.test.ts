import { describe, expect, it } from "vitest";
import { type Hop, isRedirect, nextHop } from "./redirects";

const post: Hop = {
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: "Bearer x", Cookie: "a=1", "X-Trace": "t" },
  body: "{}",
};
const from = new URL("https://a.example/hook");
const sameOrigin = new URL("https://a.example/other");
const otherOrigin = new URL("https://b.example/hook");

describe("nextHop", () => {
  it.each([301, 302, 303])("turns POST into a bodiless GET on %d", (status) => {
    const hop = nextHop(post, status, from, sameOrigin);
    expect(hop).toEqual({
      method: "GET",
      headers: { Authorization: "Bearer x", Cookie: "a=1", "X-Trace": "t" },
      body: undefined,
    });
  });

  it.each([307, 308])("repeats the request as it was on %d", (status) => {
    expect(nextHop(post, status, from, sameOrigin)).toEqual(post);
  });

  it("keeps HEAD on 303 and PUT on 302", () => {
    expect(nextHop({ ...post, method: "HEAD", body: undefined }, 303, from, sameOrigin).method).toBe("HEAD");
    expect(nextHop({ ...post, method: "PUT" }, 302, from, sameOrigin).method).toBe("PUT");
  });

  it("drops per-origin credentials when the origin changes, whatever their case", () => {
    const hop = nextHop(post, 307, from, otherOrigin);
    expect(hop.headers).toEqual({ "Content-Type": "application/json", "X-Trace": "t" });
    // Scheme change is an origin change too.
    expect(nextHop(post, 307, from, new URL("http://a.example/hook")).headers).not.toHaveProperty(
      "Authorization",
    );
  });
});

describe("isRedirect", () => {
  it.each([
    [301, true],
    [302, true],
    [303, true],
    [307, true],
    [308, true],
    [300, false],
    [304, false],
    [200, false],
  ])("%d → %s", (status, expected) => {
    expect(isRedirect(status)).toBe(expected);
  });
});
