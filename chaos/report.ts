import type { SimCall } from "@facegate/vendor-sim";
import type { Throughput } from "./measure";
import type { ChaosRun } from "./scenario";

const rate = (t: Throughput) => `${t.perSecond.toFixed(2)}/s (${t.jobs} in ${t.seconds.toFixed(1)} s)`;

/** The run's figures as a reader wants them. */
export function formatReport(run: ChaosRun): string {
  const f = run.figures;
  const lines = [
    `submitted            ${f.submitted} (never answered: ${f.unanswered})`,
    `final statuses       ${Object.entries(f.statuses)
      .map(([s, n]) => `${s} ${n}`)
      .join(", ")}${f.unsuccessful.length ? ` (${f.unsuccessful.slice(0, 5).join("; ")})` : ""}`,
    `kills                ${run.kills.length} (${[...new Set(run.kills.map((k) => k.what.replace(/-\d+$/, "")))].join(", ")})`,
    `vendor calls         ${f.calls} (billable ${f.billable})`,
    `jobs lost            ${f.lost.length}`,
    `billed twice         after an answer had arrived: ${f.billedTwiceAfterAnswer.length}; interrupted mid-call: ${f.billedTwiceInterrupted.length}`,
    `attempt mismatches   ${f.attemptMismatches.length}`,
    `missing webhooks     ${f.missingWebhooks.length}`,
    `ledger vs simulator  missing entries ${f.ledgerMissing}, extra (not interrupted) ${f.ledgerExtra}`,
    ...f.ledger.map(
      (r) =>
        `  ${r.tenant}/${r.vendor}: simulator ${r.simCalls} calls, ledger ${r.entries} entries (${r.interrupted} interrupted)`,
    ),
    `budget overshoot     ${f.budgetOvershoot}`,
    `drain after last kill ${(f.drainMs / 1000).toFixed(1)} s (${f.drainBacklog.jobs} single jobs left at the last kill: ${(f.drainBacklog.atUsualRateMs / 1000).toFixed(1)} s at the run's usual rate)`,
    `redis away           ${f.redisAwayMs === undefined ? "not disrupted" : `${(f.redisAwayMs / 1000).toFixed(1)} s`}`,
    `jobs finished        while Redis was away ${rate(f.throughput.away)}; the 10 s after ${rate(f.throughput.after)}; the rest of the run ${rate(f.throughput.rest)}`,
  ];
  const samples = [
    ["lost", f.lost],
    ["billed twice after an answer", f.billedTwiceAfterAnswer],
    ["attempt mismatches", f.attemptMismatches],
    ["missing webhooks", f.missingWebhooks],
  ] as const;
  for (const [what, list] of samples)
    if (list.length > 0) lines.push(`  e.g. ${what}: ${list.slice(0, 5).join("; ")}`);
  // The jobs above on a timeline against the kills, to tell their causes apart.
  const start = Math.min(...run.kills.map((k) => k.at));
  const t = (ms: number) => `+${((ms - start) / 1000).toFixed(2)}s`;
  lines.push(`kills at ${run.kills.map((k) => `${k.what} ${t(k.at)}`).join(", ")}`);
  // The invariants' jobs first, then the double bills the ledger marks interrupted.
  const first = new Set(
    [...f.billedTwiceAfterAnswer, ...f.attemptMismatches, ...f.unsuccessful].map((m) => m.split(" ")[0]!),
  );
  const ordered = Object.entries(f.callsOf).sort(([a], [b]) => Number(first.has(b)) - Number(first.has(a)));
  const shown = (calls: SimCall[]) =>
    calls
      .map(
        (c) =>
          `${t(c.at)}→${t(c.at + c.latencyMs)} ${c.status}${c.code ? ` ${c.code}` : ""}${c.clientGone ? " caller-gone" : ""}`,
      )
      .join(" | ");
  for (const [id, calls] of ordered.slice(0, 14)) lines.push(`  ${id}: ${shown(calls)}`);
  lines.push("last to finish after the last kill:");
  for (const j of f.lastToFinish)
    lines.push(
      `  ${j.id}: finished ${j.finishedAt === undefined ? "?" : t(j.finishedAt)}, webhook ${t(j.hookAt)}; calls ${shown(j.calls)}`,
    );
  return lines.join("\n");
}
