import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PACKAGE_DIR } from '../../project';
import { runCli } from '../../testing/cli';

/**
 * `closed-loop report` and `closed-loop scorecard` refuse what they cannot do with one line and a
 * non-zero exit, before touching an org (these runs have none: the connection file does not exist).
 */
const NO_ORG = ['--connection-file', path.join(os.tmpdir(), 'closed-loop-no-such-org.json')];

function oneLineError(run: { code: number; stdout: string; stderr: string }, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^closed-loop: /);
  expect(lines[0]).toMatch(pattern);
}

describe('closed-loop report: bad input ends with one line and a non-zero exit', () => {
  test('an unknown report name (with the closest names)', async () => {
    oneLineError(
      await runCli(['report', 'SLA_Compliance_By_Rpe', ...NO_ORG]),
      1,
      /no report named "SLA_Compliance_By_Rpe" \(did you mean SLA_Compliance_By_Rep/
    );
  });

  test('a bad --period', async () => {
    oneLineError(
      await runCli(['report', 'SLA_Compliance_By_Rep', '--period', 'last-decade', ...NO_ORG]),
      2,
      /--period must be this-month, last-month/
    );
    oneLineError(
      await runCli(['report', 'SLA_Compliance_By_Rep', '--period', '2026-04-01..2026-03-01', ...NO_ORG]),
      2,
      /2026-04-01 is after 2026-03-01/
    );
  });

  test('a bad --rows', async () => {
    oneLineError(await runCli(['report', 'SLA_Compliance_By_Rep', '--rows', '-1', ...NO_ORG]), 2, /--rows must be at least 0/);
    oneLineError(await runCli(['report', 'SLA_Compliance_By_Rep', '--rows', 'all', ...NO_ORG]), 2, /--rows must be a whole number/);
  });

  test('a bad --format, no report, CSV of all reports', async () => {
    oneLineError(await runCli(['report', 'SLA_Compliance_By_Rep', '--format', 'pdf', ...NO_ORG]), 2, /pdf/);
    oneLineError(await runCli(['report', ...NO_ORG]), 2, /name a report/);
    oneLineError(await runCli(['report', '--all', '--format', 'csv', ...NO_ORG]), 2, /--format csv takes one report/);
  });

  test('a report whose metadata the runner cannot interpret', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-pkg-'));
    try {
      for (const sub of ['objects', 'reportTypes', 'reports']) {
        fs.cpSync(path.join(PACKAGE_DIR, 'main', 'default', sub), path.join(dir, 'main', 'default', sub), { recursive: true });
      }
      const file = path.join(dir, 'main', 'default', 'reports', 'Closed_Loop', 'Win_Loss_By_Competitor.report-meta.xml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('RowCount / PARENTGROUPVAL', 'RowCount / PREVGROUPVAL'));
      const run = await runCli(['report', 'Win_Loss_By_Competitor', '--package-dir', dir, ...NO_ORG]);
      oneLineError(
        run,
        1,
        /report Win_Loss_By_Competitor: summary formula Share_Of_Competitor: cannot interpret formula .*PREVGROUPVAL is not supported/
      );
      const json = await runCli(['report', 'Win_Loss_By_Competitor', '--package-dir', dir, '--json', ...NO_ORG]);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 1, name: 'ReportMetadataError' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--list needs no org and names every report with its report type', async () => {
    const run = await runCli(['report', '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^SLA_Compliance_By_Rep\s+SLA Compliance by Rep\s+Closed_Loop_SLA_Timers__c$/m);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(17);
  });
});

describe('closed-loop scorecard: bad input', () => {
  test('a bad --period or --trend', async () => {
    oneLineError(await runCli(['scorecard', '--period', 'someday', ...NO_ORG]), 2, /--period must be/);
    oneLineError(await runCli(['scorecard', '--trend', '40', ...NO_ORG]), 2, /--trend must be at most 12/);
  });
});
