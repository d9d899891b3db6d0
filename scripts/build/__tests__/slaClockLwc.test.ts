import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCalendarLwc } from '../calendarLwc';
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

  it('is one ES module exporting the page-side clock rules, with no Node globals', async () => {
    const code = await generateSlaClockLwc();
    expect(code).toMatch(/^export \{ STOPPING_SUBMISSION, isOpen, latestPerClock, liveStatus, projectStop, stoppingSubmission \};$/m);
    expect(code).not.toMatch(/\brequire\(|\bprocess\.|\bmodule\.exports\b|\bexports\./);
  });

  it('takes what it uses of the calendar from c/businessCalendar, which exports it: no second copy in the org', async () => {
    const code = await generateSlaClockLwc();
    const imports = [...code.matchAll(/^import \{ ([^}]+) \} from '([^']+)';$/gm)];
    expect(imports.map((m) => m[2])).toEqual(['c/businessCalendar']);
    expect(code.match(/^import /gm)).toHaveLength(1);
    const exported = /^export \{ ([^}]+) \};$/m.exec(await generateCalendarLwc())?.[1].split(', ') ?? [];
    for (const name of imports[0][1].split(', ')) expect(exported).toContain(name);
    // the calendar's code itself is not in it
    expect(code).not.toMatch(/function (readInstant|writeInstant|dayNumber|daysInMonth)\b/);
  });
});
