/** The process edges a command touches, injected so commands run in tests without a process. */
export interface Io {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  exit: (code: number) => void;
  /** The environment, read only by the commands that are configured by it (serve). */
  env: Readonly<Record<string, string | undefined>>;
}

export const processIo: Io = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  exit: (code) => {
    process.exitCode = code;
  },
  env: process.env,
};
