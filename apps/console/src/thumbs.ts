import { ApiError, apiBlob } from "./api";
import { h, replace } from "./dom";

/** Why a preview is missing, in the words a person needs. */
const MISSING: Record<string, string> = {
  input_deleted: "deleted when the job finished",
  no_output: "no result yet",
  output_expired: "result deleted after retention",
  erased: "erased",
  not_found: "none",
};

/**
 * A job's target, template or result as facegate previews it (the bearer key fetches it; the
 * image is shown from a blob: URL, released when the page is left).
 */
export function thumbnail(jobId: string, role: "target" | "template" | "result", signal: AbortSignal) {
  const frame = h("div", { class: "thumb-frame" }, h("span", { class: "muted" }, "loading…"));
  const figure = h("figure", { class: "thumb", "data-role": role }, frame, h("figcaption", {}, role));
  void apiBlob(`/v1/jobs/${jobId}/thumbnails/${role}`, { signal })
    .then((blob) => {
      const url = URL.createObjectURL(blob);
      signal.addEventListener("abort", () => URL.revokeObjectURL(url), { once: true });
      replace(frame, h("img", { src: url, alt: `${role} of ${jobId}` }));
    })
    .catch((error: unknown) => {
      if (signal.aborted) return;
      const code = error instanceof ApiError ? error.code : "error";
      frame.classList.add("missing");
      replace(frame, h("span", { class: "muted" }, MISSING[code] ?? code));
    });
  return figure;
}
