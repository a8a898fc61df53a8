import { describe, expect, it } from "vitest";
import { itemName, urlFileName } from "./item-name";

describe("itemName", () => {
  it.each([
    ["../../evil.jpg", "evil.jpg"],
    ["/etc/cron.d/x.jpg", "x.jpg"],
    ["..\\..\\win.jpg", "win.jpg"],
    ["C:\\Users\\me\\photo.jpg", "photo.jpg"],
    ["..", "fallback"],
    [".hidden.jpg", "hidden.jpg"],
    ["\t=HYPERLINK(1).jpg", "__HYPERLINK(1).jpg"],
    ["\r=1+2.jpg", "__1+2.jpg"],
    ["+1.jpg", "_1.jpg"],
    [" -2.jpg", "_2.jpg"],
    ["@SUM(A1).jpg", "_SUM(A1).jpg"],
    ["my photo (2).jpg", "my photo (2).jpg"],
    ["", "fallback"],
    [undefined, "fallback"],
  ])("%j becomes %j", (raw, expected) => {
    expect(itemName(raw, "fallback")).toBe(expected);
  });

  it("keeps at most 120 characters", () => {
    expect(itemName("a".repeat(500), "f")).toHaveLength(120);
  });
});

describe("urlFileName", () => {
  it.each([
    ["http://host/img/a%20b.jpg", "a b.jpg"],
    ["http://host/img/%ff.jpg", "%ff.jpg"],
    ["http://host/img/%E0%A4%A.jpg", "%E0%A4%A.jpg"],
    ["http://host/", ""],
    ["not a url", ""],
  ])("%j gives %j", (url, expected) => {
    expect(urlFileName(url)).toBe(expected);
  });
});
