import { Router } from "express";
import { consoleAssets } from "../console/assets";
import { CONSOLE_PAGE, consoleCsp } from "../console/page";
import { Problem } from "../problem";

export const CONSOLE_PATH = "/console";

/**
 * The web console: one page and its files, public like /docs (they hold no data); everything
 * it shows comes from the public API with the key the person signs in with.
 */
export function consoleRouter(): Router {
  const router = Router();

  router.get(CONSOLE_PATH, consoleCsp, (_req, res) => {
    res.setHeader("cache-control", "no-cache");
    res.type("html").send(CONSOLE_PAGE);
  });

  router.get(`${CONSOLE_PATH}/assets/*name`, consoleCsp, async (req, res) => {
    const name = ([] as string[]).concat((req.params as { name: string | string[] }).name).join("/");
    const asset = (await consoleAssets()).get(name);
    if (!asset) throw new Problem(404, "not_found", "no such console file");
    res.setHeader("cache-control", "no-cache");
    res.type(asset.type).send(asset.body);
  });

  return router;
}
