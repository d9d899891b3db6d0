import { homeLinks, navLinks, originOf, reportsRedirect } from '../reportLinks';
import { setsViewingAll } from '../whatIfAccess';

/** The preview's way to the reports server (e2e/dashboard.test.ts follows the links in Chromium). */
const REPORTS = 'http://127.0.0.1:5181';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

describe('the preview links the dashboard and the reports npm start serves', () => {
  it('redirects /reports… and /dashboard… to the same path and query on the reports server', () => {
    const at = (p: string) => reportsRedirect(REPORTS, new URL(p, 'http://127.0.0.1:5180'));
    expect(at('/reports/Funnel_Conversion_And_Velocity?period=2026-12-01..2026-12-31')?.location).toBe(
      `${REPORTS}/reports/Funnel_Conversion_And_Velocity?period=2026-12-01..2026-12-31`
    );
    expect(at('/dashboard')?.location).toBe(`${REPORTS}/dashboard`);
    expect(at('/dashboard/Sales_Marketing_SLA')?.location).toBe(`${REPORTS}/dashboard/Sales_Marketing_SLA`);
    expect(at('/reportsX')).toBeUndefined();
    expect(at('/lead/00Q000000000001AAA')).toBeUndefined();
  });

  it('says where the reports are when no reports server is known (closed-loop preview on its own)', () => {
    const r = reportsRedirect(undefined, new URL('http://127.0.0.1:5180/reports'));
    expect(r).toEqual({ message: expect.stringMatching(/npm start/) });
    expect(navLinks(undefined)).toBe('');
    expect(homeLinks(undefined, esc)).toBe('');
  });

  it('adds Dashboard and Reports to the app navigation and names each shipped dashboard on Home', () => {
    expect(navLinks(REPORTS)).toBe('<li><a href="/dashboard">Dashboard</a></li><li><a href="/reports">Reports</a></li>');
    const home = homeLinks(REPORTS, esc);
    expect(home).toContain('<a href="/dashboard/Sales_Marketing_SLA">Sales &amp; Marketing SLA (dashboard)</a>');
    expect(home).toContain('<a href="/reports">All Closed Loop reports</a>');
    expect(originOf(`${REPORTS}/reports?token=x`)).toBe(REPORTS);
    expect(originOf('not a url')).toBeUndefined();
  });
});

describe('the What-if tab', () => {
  const at = (p: string, whatIf: boolean) => reportsRedirect(REPORTS, new URL(p, 'http://127.0.0.1:5180'), whatIf);

  it('is a tab, a link on Home and a redirect to the reports server for a user who may read every SLA timer', () => {
    expect(navLinks(REPORTS, true)).toContain('<li><a href="/whatif">What if</a></li>');
    expect(homeLinks(REPORTS, esc, true)).toContain('<a href="/whatif">');
    expect(at('/whatif?period=last-month&target.Lead_Accept=90', true)?.location).toBe(
      `${REPORTS}/whatif?period=last-month&target.Lead_Accept=90`
    );
  });

  it('is neither for a rep, whose /whatif says why with a 403', () => {
    expect(navLinks(REPORTS, false)).not.toContain('What if');
    expect(homeLinks(REPORTS, esc, false)).not.toContain('/whatif');
    expect(at('/whatif', false)).toEqual({ status: 403, message: expect.stringMatching(/^What if replays every rep’s SLA timers/) });
  });

  it('comes from the package’s permission sets: View All on SLA timers (manager, marketing), not the rep’s', () => {
    const sets = setsViewingAll();
    expect(['Closed_Loop_Manager', 'Closed_Loop_Marketing', 'Closed_Loop_Rep'].map((s) => sets.has(s))).toEqual([true, true, false]);
  });
});
