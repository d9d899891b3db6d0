import * as fs from 'node:fs';
import * as path from 'node:path';
import { LWC_SLA_CLOCK_FILE, generateSlaClockLwc } from '../slaClockLwc';
import { PROJECT_ROOT } from '../../project';

describe('c/slaClock (emitted from scripts/sla/clock*.ts)', () => {
  it('the committed module is exactly what the build emits from the current TypeScript', async () => {
    const fresh = await generateSlaClockLwc();
    const committed = fs.existsSync(LWC_SLA_CLOCK_FILE) ? fs.readFileSync(LWC_SLA_CLOCK_FILE, 'utf8') : '';
    if (committed !== fresh) {
      const a = committed.split('\n');
      const b = fresh.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(
        `${path.relative(PROJECT_ROOT, LWC_SLA_CLOCK_FILE)} is stale (first difference at line ${line + 1}: ` +
          `${JSON.stringify(a[line] ?? '<end>')} vs ${JSON.stringify(b[line] ?? '<end>')}): run npm run build and commit it`
      );
    }
  });

  it('is one ES module exporting the page-side clock rules, with no imports and no Node globals', async () => {
    const code = await generateSlaClockLwc();
    expect(code).toMatch(/^export \{ STOPPING_SUBMISSION, isOpen, latestPerClock, liveStatus, projectStop, stoppingSubmission \};$/m);
    expect(code).not.toMatch(/^import /m);
    expect(code).not.toMatch(/\brequire\(|\bprocess\.|\bmodule\.exports\b|\bexports\./);
  });
});
