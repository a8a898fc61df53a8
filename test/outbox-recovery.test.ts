import { afterEach, expect, it } from "vitest";
import { endedAfterEach } from "./support/ended-after-each";
import { face, form } from "./support/images";
import { spawnWorker } from "./support/processes";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem } from "./support/system";

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});
const ended = endedAfterEach();

it("a worker that starts sends the events, and deletes the inputs, of a job a worker that died after finishing it left in the outbox", async () => {
  receiver = await startReceiver();
  const t = ended(await startTestSystem({ worker: false, env: { EGRESS_ALLOWLIST: receiver.hostPort } }));
  const res = await t.api("/v1/jobs", {
    method: "POST",
    body: form(
      { operation: "face_fusion", vendor: "ailab", webhook_url: `${receiver.url}/hooks` },
      { target: await face(40), template: await face(200) },
    ),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };

  // The write that finishes a job (final status and outbox entry in one step), and no flush after
  // it: the worker died between the two.
  const { records } = t.system.ctx;
  await records.update(id, (r) => ({
    ...r,
    status: "failed",
    finishedAt: Date.now(),
    error: { code: "vendor_unavailable", message: "the vendor failed", retryable: false },
  }));
  expect(await records.outboxBefore(Date.now(), 100)).toContain(id);

  expect(await t.system.ctx.store.list(`inputs/acme/${id}/`)).toHaveLength(2);

  const worker = ended(spawnWorker(t.env));
  await worker.started;
  // Flushed before the worker said it started, not at the next reconcile (every 30 s): the events
  // sent and the job's inputs deleted, which the dead worker never did.
  expect(await records.outboxBefore(Date.now(), 100)).not.toContain(id);
  expect(await t.system.ctx.store.list(`inputs/acme/${id}/`)).toEqual([]);
  const [hook] = await receiver.waitAbout(id);
  expect(JSON.parse(hook!.body).type).toBe("job.failed");
});
