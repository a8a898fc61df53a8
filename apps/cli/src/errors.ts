/**
 * Exit codes of `facegate`, the same for every command so scripts can branch on them.
 * `failed`: the work itself did not succeed (a job failed or was canceled, a batch had failed
 * items, a wait ran out). `usage`: the command could not do its work (bad arguments, an HTTP
 * problem answered by facegate, facegate unreachable).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * A failure the user can act on: printed as `error: <message>` without a stack trace, and the
 * process exits with `exitCode`. Anything else thrown is a bug and shows its stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A command given wrong arguments (a missing file, a malformed --param): exit 2. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}
