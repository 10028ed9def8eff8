/** Exit codes of the command line (DESIGN.md): 0 ok, 1 invalid input or failed check, 2 usage. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** A user-facing failure: printed as one line, never with a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
