import type { Command } from 'commander';
import type { ValidationResult } from '../../validate';
import { CliError } from '../errors';
import { addJsonFlag } from '../flags';
import { lazy } from '../lazy';
import { createOutput } from '../output';

const validate = lazy(() => require('../../validate') as typeof import('../../validate'));

/** `closed-loop validate [--root <dir>] [--json] [--skip-convert]`: the offline metadata checks (part of npm test). */
export function register(program: Command): void {
  addJsonFlag(
    program
      .command('validate')
      .description(
        'Check the metadata offline: source conversion by the sf CLI, XML elements allowed by each metadata type, every field ' +
          'referenced (LWC, permission sets, layouts, list views, pages, custom metadata, reports) and field-level security coverage.'
      )
      .option('--root <dir>', 'SFDX project to check (default: this repository).')
      .option('--skip-convert', 'Skip converting each package directory with npx sf project convert source (faster).')
  ).action(async (opts: { root?: string; json?: boolean; skipConvert?: boolean }) => {
    const out = createOutput(opts.json === true);
    const { formatFinding, validateProject } = validate();
    const result = await validateProject({ root: opts.root, convert: opts.skipConvert !== true });
    const n = result.findings.length;
    if (n === 0) {
      out.result(result, summary);
      return;
    }
    if (!out.json) out.result(result, (r) => r.findings.map(formatFinding).join('\n'));
    // the findings are printed above (or are the JSON `result`); the error is the one-line summary
    throw new CliError(
      `${n} metadata problem${n === 1 ? '' : 's'} in ${result.packageDirectories.join(', ')}${out.json ? '' : ' (listed above)'}`,
      1,
      undefined,
      result
    );
  });
}

function summary(r: ValidationResult): string {
  return (
    `Metadata OK: ${r.components} components, ${r.xmlFiles} XML files in ${r.packageDirectories.join(', ')}` +
    ` (${r.converted ? 'npx sf project convert source passed; ' : ''}element lists from ${r.schema}).`
  );
}
