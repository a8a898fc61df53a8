import { relative } from "node:path";

export interface BannerInput {
  url: string;
  /** One line per embedded part. */
  notes: string[];
  apiKey?: { tenant: string; key: string };
  adminKey?: string;
  /** Where the dev keys are kept, when `npm start` made them. */
  keyFiles: { api?: string; admin?: string };
  /** stdout is a terminal a person reads, not a pipe or a log file. */
  interactive: boolean;
}

/**
 * What `npm start` prints once it runs. Keys (and the curl line that carries one) are shown only
 * to a terminal: piped into a log collector they would outlive the session, so a pipe gets the
 * files that hold them instead.
 */
export function startBanner(input: BannerInput): string {
  const { url, interactive } = input;
  const shown = (file: string) => {
    const near = relative(process.cwd(), file);
    return near && !near.startsWith("..") ? near : file;
  };
  const keyLine = (label: string, key: string | undefined, file: string | undefined, what: string) => {
    if (!key) return [];
    if (interactive) return [`  ${label} ${key}   (${what}${file ? `; kept in ${shown(file)}` : ""})`];
    return [`  ${label} ${file ? `in ${shown(file)}` : "from the environment"}   (${what})`];
  };
  const apiFile = input.keyFiles.api;
  const bearer = interactive
    ? (input.apiKey?.key ?? "<key>")
    : apiFile
      ? `$(cat ${shown(apiFile)})`
      : "<key>";
  return [
    "",
    "facegate is running",
    "",
    `  Console   ${url}/console   (sign in with the API key below; the admin key opens the admin page)`,
    `  API       ${url}   (docs: ${url}/docs)`,
    ...input.notes.map((n) => `  ${n}`),
    "",
    ...keyLine("API key  ", input.apiKey?.key, apiFile, `tenant "${input.apiKey?.tenant}"`),
    ...keyLine("Admin key", input.adminKey, input.keyFiles.admin, `${url}/admin/queues, facegate keys`),
    "",
    "  Try it:",
    `    curl -s ${url}/v1/jobs -H "Authorization: Bearer ${bearer}" \\`,
    "      -F operation=face_fusion -F vendor=ailab -F target=@examples/face.jpg -F template=@examples/template.jpg",
    "",
    "  Ctrl-C stops everything.",
    "",
  ].join("\n");
}
