import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SfCommandError, sfJson, spawnSfIn, type SfRunner } from '../org/sf';
import type { Findings } from './findings';

/**
 * `sf project convert source` of each package directory into a temporary directory: the same
 * conversion a deploy or a package version does first. A failure becomes a finding on the package
 * directory (or on the file sf names).
 */
export async function convertPackages(
  root: string,
  packageDirs: readonly string[],
  findings: Findings,
  runner: SfRunner = spawnSfIn(root)
): Promise<void> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-convert-'));
  try {
    for (const dir of packageDirs) {
      if (!fs.existsSync(dir)) {
        findings.add(path.join(root, 'sfdx-project.json'), 1, `package directory ${path.relative(root, dir)} does not exist`);
        continue;
      }
      const rel = path.relative(root, dir) || '.';
      try {
        await sfJson(
          ['project', 'convert', 'source', '--root-dir', rel, '--output-dir', path.join(out, rel.replace(/[\\/]/g, '_'))],
          runner
        );
      } catch (err) {
        if (!(err instanceof SfCommandError)) throw err;
        const named = /(\S+-meta\.xml)/.exec(err.message)?.[1];
        const file = named && fs.existsSync(path.resolve(root, named)) ? path.resolve(root, named) : dir;
        findings.add(file, 1, `npx sf project convert source failed: ${err.message}`);
      }
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
