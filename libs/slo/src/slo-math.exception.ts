export type SloMathErrorCode = 'invalid-duration' | 'invalid-objective' | 'invalid-tier';

/** Bad input to the SLO maths; the code lets the CLI and the server word it for users. */
export class SloMathError extends Error {
  constructor(
    readonly code: SloMathErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SloMathError';
  }
}
