/**
 * A failure the user can act on: printed as `error: <message>` without a stack trace, and the
 * process exits with `exitCode`. Anything else thrown is a bug and shows its stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}
