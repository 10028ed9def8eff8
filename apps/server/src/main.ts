import { serve } from './server.js';

// The only place the server reads process.env: everything else gets the validated config.
serve(process.env, { stderr: (line) => console.error(line) }).then(
  (code) => {
    // A server that cannot start exits now, whatever a half-built app may still hold open.
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    // Only a bug reaches here: say so plainly, keep the stack for the report.
    console.error('burnrate: internal error, please report it:', error);
    process.exitCode = 70;
  },
);
