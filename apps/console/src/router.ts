import type { Role } from "./session";

/** A page draws itself into `root`; `signal` aborts when the page is left (streams, timers). */
export type Page = (root: HTMLElement, params: string[], signal: AbortSignal) => void | Promise<void>;

export interface Route {
  pattern: RegExp;
  page: Page;
  /** Who may open it. */
  role: Role;
  /** The navigation entry it lights up. */
  nav: string;
  title: string;
}

/** `#/jobs/job_…` → the matching route and its captured parts. */
export function match(routes: Route[], hash: string): { route: Route; params: string[] } | undefined {
  const path = hash.replace(/^#/, "").split("?")[0] || "/";
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m) return { route, params: m.slice(1) };
  }
  return undefined;
}

/** Re-run `fn` every `ms` while the page is open and the tab visible. */
export function every(ms: number, signal: AbortSignal, fn: () => Promise<void> | void): void {
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") void fn();
  }, ms);
  signal.addEventListener("abort", () => clearInterval(timer), { once: true });
}
