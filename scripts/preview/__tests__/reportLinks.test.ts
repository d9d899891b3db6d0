import { homeLinks, navLinks, originOf, reportsRedirect } from '../reportLinks';

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
