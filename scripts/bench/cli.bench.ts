import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../project';
import { CLI_ENTRY } from '../testing/cli';
import { defineBench } from './harness';

/*
 * CLI start-up: wall time of spawning the built CLI (dist/) for `--version`, `--help` and a subcommand's
 * help, against a bare `node -e 0` in the same run (the floor: starting Node itself). Each round runs every
 * case once, in turn, so a busy machine slows them alike; median and 90th percentile over RUNS rounds
 * after one warm-up round (file cache). The difference to the bare Node is what the CLI's own start-up costs:
 * building the command tree, with each command's implementation loaded only when it runs (scripts/cli/lazy.ts).
 */

const RUNS = 15;

interface Case {
  name: string;
  args: string[];
  /** What a correct run prints on stdout (checked, so a broken CLI is not "fast"). */
  expect?: RegExp;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export default defineBench({
  name: 'cli',
  description: 'CLI start-up: closed-loop --version / --help / sla sync --help vs a bare node -e 0 (spawn to exit)',
  run(ctx) {
    const version = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const cases: Case[] = [
      { name: 'node -e 0', args: ['-e', '0'] },
      { name: '--version', args: [CLI_ENTRY, '--version'], expect: new RegExp(`^${version.replace(/\./g, '\\.')}\\n$`) },
      { name: '--help', args: [CLI_ENTRY, '--help'], expect: /^Usage: closed-loop/ },
      { name: 'sla sync --help', args: [CLI_ENTRY, 'sla', 'sync', '--help'], expect: /^Usage: closed-loop sla sync/ }
    ];
    const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    let ok = true;
    for (let round = 0; round <= RUNS; round++) {
      for (const c of cases) {
        const started = performance.now();
        const r = spawnSync(process.execPath, c.args, { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
        const ms = performance.now() - started;
        if (r.status !== 0 || (c.expect && !c.expect.test(r.stdout))) {
          ctx.log(`   ${c.name}: exit ${String(r.status)}, stdout ${JSON.stringify(r.stdout.slice(0, 80))}, stderr ${r.stderr.trim()}`);
          ok = false;
        }
        if (round > 0) times.get(c.name)!.push(ms); // round 0 warms the file cache
      }
    }
    const base = quantile(times.get('node -e 0')!, 0.5);
    const metrics: Record<string, number> = { runs: RUNS, loadavg1: Number(os.loadavg()[0].toFixed(2)), cpus: os.cpus().length };
    ctx.log(`   ${RUNS} runs each after a warm-up; load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} CPUs`);
    for (const c of cases) {
      const t = times.get(c.name)!;
      const median = quantile(t, 0.5);
      const p90 = quantile(t, 0.9);
      const key = c.name.replace(/^-+/, '').replace(/[^a-z0-9]+/gi, '_');
      metrics[`${key}_median_ms`] = Number(median.toFixed(1));
      metrics[`${key}_p90_ms`] = Number(p90.toFixed(1));
      const over = c.name === 'node -e 0' ? '(bare Node)' : `(+${(median - base).toFixed(0)} ms over bare Node)`;
      ctx.log(`   ${c.name.padEnd(16)} median ${median.toFixed(0).padStart(5)} ms   p90 ${p90.toFixed(0).padStart(5)} ms   ${over}`);
    }
    return { metrics, ok };
  }
});
