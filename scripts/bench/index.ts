import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../project';
import type { Bench, BenchResult } from './harness';

/**
 * `npm run bench [-- <name> ...] [--list]`: runs the benches in this folder (every `<name>.bench.ts`),
 * all of them or those whose name contains one of the given words. Not part of `npm test`.
 */

const RESULTS_DIR = path.join(PROJECT_ROOT, 'bench', 'results');

export function discoverBenches(dir = __dirname): Bench[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.bench\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(dir, f)) as { default?: Bench };
      if (!mod.default?.name || typeof mod.default.run !== 'function') {
        throw new Error(`${f} must default-export defineBench({ name, description, run })`);
      }
      return mod.default;
    });
}

async function main(argv: string[]): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  const benches = discoverBenches();
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--list')) {
    process.stdout.write('Usage: npm run bench [-- <name> ...]   (names match by substring; none = all)\n\nBenches:\n');
    for (const b of benches) process.stdout.write(`  ${b.name.padEnd(20)} ${b.description}\n`);
    return 0;
  }
  const chosen = words.length === 0 ? benches : benches.filter((b) => words.some((w) => b.name.includes(w)));
  if (chosen.length === 0) {
    process.stderr.write(`bench: no bench matches ${words.join(', ')} (have: ${benches.map((b) => b.name).join(', ')})\n`);
    return 2;
  }
  let failed = 0;
  for (const bench of chosen) {
    process.stdout.write(`\n== ${bench.name}: ${bench.description}\n`);
    let result: BenchResult;
    try {
      result = await bench.run({ log: (line) => process.stdout.write(`${line}\n`) });
    } catch (err) {
      process.stdout.write(`   FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      failed++;
      continue;
    }
    if (!result.ok) failed++;
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const record = { name: bench.name, at: new Date().toISOString(), node: process.version, ok: result.ok, metrics: result.metrics };
    fs.writeFileSync(path.join(RESULTS_DIR, `${bench.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }
  process.stdout.write(
    `\n${chosen.length - failed} of ${chosen.length} benches ok (results in ${path.relative(PROJECT_ROOT, RESULTS_DIR)}/)\n`
  );
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  );
}
