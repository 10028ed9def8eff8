import { createServer } from 'node:net';

import { BurnrateError } from '@burnrate/contracts';

/** The configured port cannot be had: in use, or reserved for root. */
export class PortUnavailableError extends BurnrateError {
  readonly kind = 'conflict';

  constructor(
    readonly port: number,
    reason: 'EADDRINUSE' | 'EACCES',
  ) {
    super(
      reason === 'EACCES' ? 'port-needs-root' : 'port-in-use',
      reason === 'EACCES'
        ? `port ${port} needs root privileges: set PORT to 1024 or above`
        : `port ${port} is in use: set PORT`,
    );
  }
}

/** The error to report for a failed listen: PortUnavailableError when the port is the cause. */
export function listenFailure(error: unknown, port: number): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES') return new PortUnavailableError(port, code);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Fails at once when the port is taken. Listens as the server will (all interfaces) and lets go;
 * port 0 asks for any free port: nothing to check.
 */
export async function assertPortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(listenFailure(error, port)));
    probe.listen(port, () => probe.close(() => resolve()));
  });
}
