/**
 * Names users type or send — an uploaded file's name, an archive entry, a manifest's `name`, the
 * last segment of an image URL — become item names: shown in listings, written into a batch's
 * result zip and its manifest.csv. They are attacker-chosen (`../../etc/passwd`, absolute paths,
 * backslashes, `=HYPERLINK(…)`), so each is reduced here, in one place, to a plain base name.
 */

/**
 * The base name of `raw`, never a path: only letters, digits and `_ . ( ) + -` and spaces are
 * kept, no leading dot (hidden file) nor leading `+`/`-` (a spreadsheet formula), at most 120
 * characters. `fallback` when nothing is left.
 */
export function itemName(raw: string | undefined, fallback: string): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base
    .replace(/[^\w.()+ -]/g, "_")
    .trim()
    .replace(/^\.+/, "")
    .replace(/^[+-]/, "_")
    .slice(0, 120);
  return clean || fallback;
}

/**
 * The last path segment of a URL, percent-decoded when its escapes are valid UTF-8 and kept as
 * written when not (`%ff`); "" for a string that is not a URL.
 */
export function urlFileName(url: string): string {
  let segment: string;
  try {
    segment = new URL(url).pathname.split("/").pop() ?? "";
  } catch {
    return "";
  }
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
