import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../project';

/**
 * Makes the compiled `closed-loop` entry executable. tsc writes dist/cli/index.js without the
 * execute bit, and `npm ci` runs the build (prepare) after it has linked the package's bin, so without
 * this `npx closed-loop` on a fresh clone fails with "Permission denied".
 */
export const CLI_BIN = path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js');

if (require.main === module) {
  fs.chmodSync(CLI_BIN, 0o755);
}
