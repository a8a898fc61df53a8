import type { Express } from "express";

/** A route express answers: upper-case method and express path (`/v1/jobs/:id`). */
export interface ServedRoute {
  method: string;
  path: string;
}

/**
 * A path where a whole application answers by itself (bull-board, static files): its routes are
 * its own, so only the mount point is known.
 */
export interface ServingMount {
  path: string;
  kind: "app" | "static";
}

interface Layer {
  name: string;
  handle: { stack?: Layer[] };
  rawPath?: unknown;
  slash?: boolean;
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** Express names these layers itself: a mounted sub-application and `express.static`. */
const SERVING_LAYERS: Record<string, ServingMount["kind"]> = { mounted_app: "app", serveStatic: "static" };

/**
 * Walk an express 5 app's router stack: every route with its full path, through nested routers,
 * and every mounted application. Middleware mounted on a path (`/v1` auth) is neither.
 */
export function servedRoutes(app: Express): { routes: ServedRoute[]; mounts: ServingMount[] } {
  const routes: ServedRoute[] = [];
  const mounts: ServingMount[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of paths(layer.route.path)) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== "_all")
              routes.push({ method: method.toUpperCase(), path: prefix + path || "/" });
          }
        }
        continue;
      }
      const at = layer.slash ? "" : paths(layer.rawPath)[0]!;
      if (Array.isArray(layer.handle.stack)) walk(layer.handle.stack, prefix + at);
      else if (at && SERVING_LAYERS[layer.name])
        mounts.push({ path: prefix + at, kind: SERVING_LAYERS[layer.name]! });
    }
  };
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  walk(router.stack, "");
  return { routes, mounts };
}

function paths(path: unknown): string[] {
  const list = Array.isArray(path) ? path.flat(Number.POSITIVE_INFINITY) : [path];
  return list.map((p) => {
    if (typeof p !== "string")
      throw new Error(`route path ${String(p)} is not a string: describe it by hand`);
    return p === "/" ? "" : p;
  });
}
