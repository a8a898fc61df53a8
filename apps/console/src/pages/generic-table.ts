import { h } from "../dom";

/** Rows of flat objects as a table, columns in the order the first row gives them. */
export function rowsTable(rows: Record<string, unknown>[], id?: string): HTMLElement {
  if (rows.length === 0) return h("p", { class: "muted" }, "Nothing yet.");
  const columns = Object.keys(rows[0]!);
  const cell = (v: unknown) =>
    v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { id },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          columns.map((c) => h("th", { scope: "col" }, c.replaceAll("_", " "))),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((row) =>
          h(
            "tr",
            {},
            columns.map((c) => h("td", { class: typeof row[c] === "number" ? "num" : "" }, cell(row[c]))),
          ),
        ),
      ),
    ),
  );
}
