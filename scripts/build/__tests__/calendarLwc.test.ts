import * as fs from 'node:fs';
import * as path from 'node:path';
import { LWC_CALENDAR_FILE, generateCalendarLwc } from '../calendarLwc';
import { PROJECT_ROOT } from '../../project';

describe('c/businessCalendar (emitted from scripts/calendar)', () => {
  it('the committed module is exactly what the build emits from the current TypeScript', async () => {
    const fresh = await generateCalendarLwc();
    const committed = fs.existsSync(LWC_CALENDAR_FILE) ? fs.readFileSync(LWC_CALENDAR_FILE, 'utf8') : '';
    if (committed !== fresh) {
      const a = committed.split('\n');
      const b = fresh.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(
        `${path.relative(PROJECT_ROOT, LWC_CALENDAR_FILE)} is stale (first difference at line ${line + 1}: ` +
          `${JSON.stringify(a[line] ?? '<end>')} vs ${JSON.stringify(b[line] ?? '<end>')}): run npm run build and commit it`
      );
    }
  });

  it('is one ES module exporting the calendar and its local-time functions, with no imports and no Node globals', async () => {
    const code = await generateCalendarLwc();
    expect(code).toMatch(
      /^export \{ BusinessCalendar, CalendarError, MONTHS, WEEKDAYS, formatDuration, isTimeZone, localDate, readInstant, startOfLocalDate, wallClock, writeInstant \};$/m
    );
    expect(code).not.toMatch(/^import /m);
    expect(code).not.toMatch(/\brequire\(|\bprocess\.|\bmodule\.exports\b|\bexports\./);
  });
});
