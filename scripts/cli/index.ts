#!/usr/bin/env node
// The project runs on the Node 24 that `npm ci` installs (devDependency "node"); `npx closed-loop`
// and npm scripts put it first on PATH. Started by an older system Node, say so in one line
// instead of failing deep inside node:sqlite.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `closed-loop: needs Node.js 22 or later, this is ${process.version}; run it as "npx closed-loop" (the project's own Node 24)\n`
  );
  process.exit(1);
}

// `closed-loop report ... | head` closes stdout early: that is the reader's choice, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const { run } = require('./program') as typeof import('./program');

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
