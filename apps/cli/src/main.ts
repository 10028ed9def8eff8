import { processIo } from './io.js';
import { run } from './program.js';

run(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug reaches here: say so plainly, keep the stack for the report.
    console.error('burnrate: internal error, please report it:', error);
    process.exitCode = 70;
  },
);
