import { h } from "./dom";

/**
 * The params form, drawn from the JSON Schema of the zod schema the API validates params with
 * (served at /console/assets/params.json), so the form and the API cannot disagree.
 */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  enum?: (string | number)[];
  const?: string | number;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  description?: string;
}

export interface ParamsCatalog {
  operations: Record<string, { vendors: string[]; params: Record<string, JsonSchema> }>;
  vendors: string[];
}

/** Choices a field offers, when it is a closed set (`enum`, or a union of constants). */
function choices(schema: JsonSchema): (string | number)[] | undefined {
  if (schema.enum) return schema.enum;
  if (schema.anyOf?.every((s) => s.const !== undefined)) return schema.anyOf.map((s) => s.const!);
  return undefined;
}

/** Fields for one vendor's params; names are `param:<key>` so the reader can find them. */
export function paramFields(vendor: string, schema: JsonSchema): HTMLElement {
  const entries = Object.entries(schema.properties ?? {});
  const fieldset = h(
    "fieldset",
    { class: "params", "data-vendor": vendor },
    h("legend", {}, `${vendor} params`),
  );
  if (entries.length === 0) fieldset.append(h("p", { class: "muted" }, "none"));
  for (const [key, field] of entries) {
    const id = `param-${vendor}-${key}`;
    const options = choices(field);
    const hint: string[] = [];
    let input: HTMLInputElement | HTMLSelectElement;
    if (options) {
      input = h(
        "select",
        { id, name: `param:${key}`, "data-type": typeof options[0] },
        h(
          "option",
          { value: "" },
          field.default !== undefined ? `default (${String(field.default)})` : "vendor's default",
        ),
        options.map((o) => h("option", { value: String(o) }, String(o))),
      );
    } else if (field.type === "number" || field.type === "integer") {
      input = h("input", {
        id,
        name: `param:${key}`,
        type: "number",
        "data-type": "number",
        min: field.minimum,
        max: field.maximum,
        step: field.type === "integer" ? 1 : "any",
        placeholder: field.default !== undefined ? String(field.default) : "",
      });
      if (field.minimum !== undefined && field.maximum !== undefined)
        hint.push(`${field.minimum} to ${field.maximum}`);
    } else {
      input = h("input", {
        id,
        name: `param:${key}`,
        type: "text",
        maxlength: field.maxLength,
        "data-type": "string",
      });
    }
    if (field.description) hint.unshift(field.description);
    fieldset.append(
      h(
        "div",
        { class: "field" },
        h("label", { for: id }, key.replaceAll("_", " ")),
        input,
        hint.length ? h("small", { class: "muted" }, hint.join(" · ")) : null,
      ),
    );
  }
  return fieldset;
}

/** The params the form holds: filled fields only, typed as their schema says. */
export function readParams(form: HTMLFormElement): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const el of Array.from(
    form.querySelectorAll<HTMLInputElement | HTMLSelectElement>("[name^='param:']"),
  )) {
    if (el.value === "") continue;
    const key = el.name.slice("param:".length);
    params[key] = el.dataset.type === "number" ? Number(el.value) : el.value;
  }
  return params;
}
