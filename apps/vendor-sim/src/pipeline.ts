import type { Response } from "express";
import type { CallLog, SimCall } from "./call-log";
import { hang, malformedBody, type Prng, resetConnection, sleep } from "./faults";
import type { FaultKind } from "./vendor-config";
import type { VendorState } from "./vendor-state";

/**
 * The order every simulated call goes through, the same for the three vendors:
 * script → admission (auth) → rate limit → credits → injected fault → latency → processing.
 * Each vendor supplies only its own answers (envelope, codes, statuses) through `VendorCall`.
 */

/** One HTTP answer in a vendor's own envelope. */
export interface SimAnswer {
  status: number;
  body: unknown;
  /** The vendor code of a failure; null on success. */
  code: string | null;
}

export interface VendorCall {
  operation: string;
  /** The credential as presented (key, token or SecretId); keys rate windows and credits. */
  credential: string | undefined;
  /** Set by the vendor as soon as the target bytes are known. */
  targetSha256?: string;
  /** Credits a successful call costs. */
  cost: number;
  /** The vendor's success body cut short is one kind of malformed answer. */
  successPrefix: string;
  /** Auth and common checks; an answer means the call is refused. */
  admit(): SimAnswer | null;
  scripted(code: string, message?: string, status?: number): SimAnswer;
  rateLimited(): SimAnswer;
  outOfCredits(): SimAnswer;
  transient(rng: Prng): SimAnswer;
  internalError(): SimAnswer;
  process(): Promise<SimAnswer>;
}

export interface CallEnv {
  state: VendorState;
  log: CallLog;
  now: () => number;
}

export interface CallTiming {
  /** performance.now() at arrival. */
  startedAt: number;
  /** Simulator clock at arrival. */
  at: number;
}

export async function runCall(
  env: CallEnv,
  res: Response,
  call: VendorCall,
  timing: CallTiming,
): Promise<void> {
  const { state } = env;
  // The client closing before the answer is written: a caller that died mid-call.
  let clientGone = false;
  res.on("close", () => {
    if (!res.writableEnded) clientGone = true;
  });
  const record = (status: number, code: string | null, extra: Partial<SimCall> = {}) => {
    env.log.record({
      vendor: state.vendor,
      operation: call.operation,
      credential: state.label(call.credential),
      at: timing.at,
      status,
      code,
      latencyMs: Math.round(performance.now() - timing.startedAt),
      ...(call.targetSha256 ? { targetSha256: call.targetSha256 } : {}),
      ...(clientGone ? { clientGone: true as const } : {}),
      ...extra,
    });
  };
  const send = (answer: SimAnswer, extra: Partial<SimCall> = {}) => {
    res.status(answer.status).type("application/json").send(JSON.stringify(answer.body));
    record(answer.status, answer.code, extra);
  };
  const inject = (kind: FaultKind, extra: Partial<SimCall>) => {
    if (kind === "transient") return send(call.transient(state.random), { ...extra, fault: kind });
    if (kind === "timeout") hang(res);
    else if (kind === "reset") resetConnection(res);
    else {
      const malformed = malformedBody(call.successPrefix, state.random);
      res.status(200).type(malformed.contentType).send(malformed.body);
    }
    record(kind === "malformed" ? 200 : 0, `fault:${kind}`, { ...extra, fault: kind });
  };

  // Scripted answers come first and skip every check: a contract suite gets exactly what it queued.
  const entry = state.takeScript();
  if (entry) await sleep(entry.delayMs ?? 0);
  if (entry && "code" in entry)
    return send(call.scripted(entry.code, entry.message, entry.status), { scripted: true });
  if (entry && "fault" in entry) return inject(entry.fault, { scripted: true });

  const refusal = call.admit();
  if (refusal) return send(refusal);
  const credential = call.credential ?? "";
  // Refusals for rate and credits are immediate: no simulated latency, as a real gateway answers them.
  if (!state.tryAcquire(credential, env.now())) return send(call.rateLimited());
  if (!state.hasCredits(credential, call.cost)) return send(call.outOfCredits());

  const fault = state.rollFault();
  if (fault === "timeout") return inject(fault, {});
  await sleep(state.latencyMs());
  if (fault) return inject(fault, {});

  let answer: SimAnswer;
  try {
    answer = await call.process();
  } catch {
    answer = call.internalError();
  }
  if (answer.code === null) state.charge(credential, call.cost);
  send(answer);
}
