#!/usr/bin/env node
import { run } from './program';

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // run() already turns every expected failure into a one-line message and an exit code;
    // reaching this means a bug, so show what we know and fail.
    process.stderr.write(`closed-loop: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
);
