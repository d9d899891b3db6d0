import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../project';

/**
 * The project runs on the Node 24 that `npm ci` installs (the devDependency "node": the sf CLI and jsforce
 * need Node 22 or later, and machines may have an older system Node), not on the machine's system Node:
 * npm scripts and npx put node_modules/.bin first on PATH. See README.md#requirements.
 */
describe('runtime', () => {
  it('runs the tests on the pinned Node 24', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('resolves `node` on PATH to the project-pinned binary', () => {
    const resolved = execFileSync('node', ['-p', 'process.execPath'], { encoding: 'utf8' }).trim();
    expect(path.relative(PROJECT_ROOT, resolved)).toMatch(/^node_modules[\\/]/);
  });

  it('compiles with TypeScript 5 (ts-jest and typescript-eslint need < 7)', () => {
    expect((require('typescript/package.json') as { version: string }).version).toMatch(/^5\./);
  });
});

describe('the closed-loop bin', () => {
  it('is executable and runs on its own shebang (what `npx closed-loop` starts)', () => {
    const { CLI_BIN } = require('../../build/cliBin') as typeof import('../../build/cliBin');
    const version = execFileSync(CLI_BIN, ['--version'], { encoding: 'utf8' }).trim();
    expect(version).toBe((require('../../../package.json') as { version: string }).version);
  });
});
