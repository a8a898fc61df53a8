import { api } from "../api";
import { h, notice, replace } from "../dom";
import { type ParamsCatalog, paramFields, readParams } from "../params-form";
import type { Page as ConsolePage } from "../router";
import type { Job } from "../types";

/** The photos bundled with facegate (examples/), served by the console. */
const EXAMPLES = {
  target: "/console/assets/examples/face.jpg",
  template: "/console/assets/examples/template.jpg",
};

/** A file input with a drop zone and a preview of what was chosen. */
function photoField(role: "target" | "template", label: string, signal: AbortSignal) {
  const input = h("input", { id: `file-${role}`, name: role, type: "file", accept: "image/*" });
  const preview = h(
    "div",
    { class: "drop-preview" },
    h("span", { class: "muted" }, "drop a photo here or choose one"),
  );
  let chosen: Blob | undefined;
  let url: string | undefined;
  signal.addEventListener("abort", () => url && URL.revokeObjectURL(url), { once: true });
  const show = (blob: Blob, name: string) => {
    chosen = blob;
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(blob);
    replace(preview, h("img", { src: url, alt: `${role}: ${name}` }));
  };
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) show(file, file.name);
  });
  const zone = h(
    "div",
    { class: "drop", "data-role": role },
    h("label", { for: input.id }, label),
    input,
    preview,
  );
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    const file = event.dataTransfer?.files[0];
    if (file) show(file, file.name);
  });
  return { zone, show, get: () => chosen };
}

/** Try it: photos, operation, vendor and params; submit and follow the job to its result. */
export const tryItPage: ConsolePage = async (root, _params, signal) => {
  const catalog = await api<ParamsCatalog>("/console/assets/params.json", { signal });
  const target = photoField("target", "Target (the face to use)", signal);
  const template = photoField("template", "Template (the picture to put it in)", signal);
  const operation = h(
    "select",
    { id: "operation", name: "operation" },
    Object.keys(catalog.operations).map((op) => h("option", { value: op }, op.replaceAll("_", " "))),
  );
  const vendor = h("select", { id: "vendor", name: "vendor" });
  const paramsBox = h("div", { id: "params" });
  const message = h("div", { "aria-live": "polite" });
  const submit = h("button", { type: "submit", id: "submit-job" }, "Run");

  const drawVendors = () => {
    const vendors = catalog.operations[operation.value]!.vendors;
    const current = vendor.value;
    replace(
      vendor,
      h("option", { value: "auto" }, "auto (by preference and health)"),
      vendors.map((v) => h("option", { value: v, selected: v === current }, v)),
    );
    template.zone.hidden = operation.value !== "face_fusion";
    drawParams();
  };
  const drawParams = () => {
    const entry = catalog.operations[operation.value]!;
    const shown = vendor.value === "auto" ? entry.vendors : [vendor.value];
    replace(paramsBox, ...shown.map((v) => paramFields(v, entry.params[v] ?? {})));
  };
  operation.addEventListener("change", drawVendors);
  vendor.addEventListener("change", drawParams);

  const examples = h(
    "button",
    {
      type: "button",
      class: "secondary",
      id: "use-examples",
      onclick: async () => {
        const [t, m] = await Promise.all([fetch(EXAMPLES.target), fetch(EXAMPLES.template)]);
        target.show(await t.blob(), "face.jpg");
        template.show(await m.blob(), "template.jpg");
      },
    },
    "Use the example photos",
  );

  const form = h(
    "form",
    {
      class: "try",
      onsubmit: async (event) => {
        event.preventDefault();
        const body = new FormData();
        body.set("operation", operation.value);
        body.set("vendor", vendor.value);
        body.set("params", JSON.stringify(readParams(form)));
        const t = target.get();
        const m = template.get();
        if (!t) return replace(message, notice("Choose a target photo first."));
        if (operation.value === "face_fusion" && !m)
          return replace(message, notice("Choose a template too."));
        body.set("target", t, "target");
        if (m && operation.value === "face_fusion") body.set("template", m, "template");
        submit.disabled = true;
        replace(message, notice("Uploading…", "info"));
        try {
          const job = await api<Job>("/v1/jobs", { method: "POST", body });
          location.hash = `#/jobs/${job.id}`;
        } catch (error) {
          replace(message, notice((error as Error).message));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("div", { class: "photos" }, target.zone, template.zone),
    examples,
    h(
      "div",
      { class: "row" },
      h("div", { class: "field" }, h("label", { for: "operation" }, "Operation"), operation),
      h("div", { class: "field" }, h("label", { for: "vendor" }, "Vendor"), vendor),
    ),
    paramsBox,
    submit,
    message,
  );
  replace(root, h("div", { class: "page-head" }, h("h1", {}, "Try it")), form);
  drawVendors();
};
