import type { Batch } from "@facegate/client";
import type { TestSystem } from "./system";
import { until } from "./until";

/** Poll a batch until it has completed; returns it as the API shows it then. */
export async function waitCompleted(
  t: TestSystem,
  id: string,
  tenant: "acme" | "beta" = "acme",
  timeoutMs = 30_000,
): Promise<Batch> {
  let batch: Batch | undefined;
  await until(
    async () => {
      batch = (await (await t.api(`/v1/batches/${id}`, { tenant })).json()) as Batch;
      return batch.status === "completed";
    },
    timeoutMs,
    `batch ${id} completed`,
  );
  return batch!;
}
