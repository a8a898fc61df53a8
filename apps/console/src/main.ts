import { h, replace } from "./dom";
import { adminPage } from "./pages/admin";
import { batchPage } from "./pages/batch";
import { batchesPage } from "./pages/batches";
import { jobPage } from "./pages/job";
import { jobsPage } from "./pages/jobs";
import { signInPage } from "./pages/sign-in";
import { tryItPage } from "./pages/try-it";
import { usagePage } from "./pages/usage";
import { match, type Route } from "./router";
import { currentSession, endSession } from "./session";

const ID = "([a-z]{3}_[0-9a-z]{29})";
const ROUTES: Route[] = [
  { pattern: /^\/jobs$/, page: jobsPage, role: "tenant", nav: "jobs", title: "Jobs" },
  { pattern: new RegExp(`^/jobs/${ID}$`), page: jobPage, role: "tenant", nav: "jobs", title: "Job" },
  { pattern: /^\/batches$/, page: batchesPage, role: "tenant", nav: "batches", title: "Batches" },
  {
    pattern: new RegExp(`^/batches/${ID}$`),
    page: batchPage,
    role: "tenant",
    nav: "batches",
    title: "Batch",
  },
  { pattern: /^\/try$/, page: tryItPage, role: "tenant", nav: "try", title: "Try it" },
  { pattern: /^\/usage$/, page: usagePage, role: "tenant", nav: "usage", title: "Usage" },
  { pattern: /^\/admin$/, page: adminPage, role: "admin", nav: "admin", title: "Admin" },
];
const NAV: Record<string, { label: string; href: string; role: "tenant" | "admin" }> = {
  jobs: { label: "Jobs", href: "#/jobs", role: "tenant" },
  batches: { label: "Batches", href: "#/batches", role: "tenant" },
  try: { label: "Try it", href: "#/try", role: "tenant" },
  usage: { label: "Usage", href: "#/usage", role: "tenant" },
  admin: { label: "Admin", href: "#/admin", role: "admin" },
};

let leave: AbortController | undefined;

/** Draw the page the address names; signed out, the sign-in form. */
function render(): void {
  leave?.abort();
  leave = new AbortController();
  const app = document.getElementById("app")!;
  const session = currentSession();
  if (!session) {
    document.title = "Sign in · facegate";
    replace(app, h("main", { class: "signin", id: "main" }, signInPage(render)));
    return;
  }
  const found = match(ROUTES, location.hash);
  if (!found || found.route.role !== session.role) {
    location.replace(session.role === "admin" ? "#/admin" : "#/jobs");
    return;
  }
  document.title = `${found.route.title} · facegate`;
  const main = h("main", { id: "main", tabindex: "-1" });
  const nav = h(
    "nav",
    { "aria-label": "Console" },
    h("a", { class: "brand", href: session.role === "admin" ? "#/admin" : "#/jobs" }, "facegate"),
    h(
      "ul",
      {},
      Object.entries(NAV)
        .filter(([, entry]) => entry.role === session.role)
        .map(([id, entry]) =>
          h(
            "li",
            {},
            h(
              "a",
              { href: entry.href, "aria-current": id === found.route.nav ? "page" : undefined },
              entry.label,
            ),
          ),
        ),
    ),
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        id: "sign-out",
        onclick: () => {
          endSession();
          location.hash = "";
          render();
        },
      },
      "Sign out",
    ),
  );
  // The address is the router's; the skip link moves the focus instead of changing it.
  const skip = h(
    "a",
    {
      class: "skip",
      href: "#",
      onclick: (event) => {
        event.preventDefault();
        main.focus();
      },
    },
    "Skip to content",
  );
  replace(app, skip, h("header", { class: "topbar" }, nav), main);
  const signal = leave.signal;
  void Promise.resolve(found.route.page(main, found.params, signal)).catch((error: unknown) => {
    if (!signal.aborted) main.append(h("p", { class: "notice notice-error", role: "alert" }, String(error)));
  });
}

window.addEventListener("hashchange", render);
render();
