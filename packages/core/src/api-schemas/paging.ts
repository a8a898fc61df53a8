import { z } from "zod";

/** `limit`: how many items one page holds, 1 to `max`. */
export const pageLimit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/** `cursor`: a previous page's `next_cursor`, the id (`job_…`, `bat_…`) of the last item it held. */
export const pageCursor = (prefix: "job" | "bat") =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{29}$`), "not a cursor from a previous page")
    .optional();
