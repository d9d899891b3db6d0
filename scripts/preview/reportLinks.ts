import { listDashboards } from '../reports/dashboard';

/**
 * The preview's way to the dashboard and the reports that `npm start` serves on its reports server: the app
 * navigation's tabs, a row of links on Home, and redirects from the preview's own `/reports…` and
 * `/dashboard…` to that server — so a report path the scorecard stored for a figure
 * (`/reports/<Name>?period=…`, see docs/reports-and-scorecard.md) opens from the app as a report URL does in an org.
 */

/** The origin of a URL (`http://127.0.0.1:5181`), or undefined. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The app's tabs as in Lightning Experience: after Home, the dashboard and the reports (when they are served),
 * and the SLA What-if page for a user who may open it (`whatIf`: see ./whatIfAccess.ts).
 */
export function navLinks(reportsOrigin: string | undefined, whatIf = false): string {
  if (!reportsOrigin) return '';
  return `<li><a href="/dashboard">Dashboard</a></li><li><a href="/reports">Reports</a></li>${whatIf ? '<li><a href="/whatif">What if</a></li>' : ''}`;
}

/** On Home: where a manager goes next, each shipped dashboard by its title and all the reports (`escapeHtml`: the page's escaping). */
export function homeLinks(reportsOrigin: string | undefined, escapeHtml: (s: string) => string, whatIf = false): string {
  if (!reportsOrigin) return '';
  const dashboards = listDashboards().map(
    (d) => `<li class="slds-item"><a href="/dashboard/${escapeHtml(d.developerName)}">${escapeHtml(d.title)} (dashboard)</a></li>`
  );
  return `<nav class="slds-card slds-var-m-bottom_small slds-var-p-around_small preview-home-links" aria-label="Dashboards and reports">
<ul class="slds-list_horizontal slds-has-dividers_left">
${dashboards.join('\n')}
<li class="slds-item"><a href="/reports">All Closed Loop reports</a></li>${
    whatIf ? '\n<li class="slds-item"><a href="/whatif">What if: replay the SLA under other targets or hours</a></li>' : ''
  }
</ul></nav>`;
}

/**
 * Where a request for `/reports…`, `/dashboard…` or `/whatif` goes: the same path and query on the reports
 * server; a message when no reports server is known, or (`/whatif`) when the user may not open it (`whatIf`:
 * ./whatIfAccess.ts), with status 403; undefined for any other path.
 */
export function reportsRedirect(
  reportsOrigin: string | undefined,
  url: URL,
  whatIf = false
): { location?: string; message: string; status?: number } | undefined {
  if (/^\/whatif\/?$/.test(url.pathname)) {
    if (!whatIf) {
      return {
        status: 403,
        message:
          'What if replays every rep’s SLA timers, so it is for the users who may read all of them (View All on SLA timers: a manager, marketing, an admin). Switch in the “View as” menu.'
      };
    }
    if (!reportsOrigin) return { message: 'The What-if page is served by npm start (or: npx closed-loop sla whatif --format html).' };
    return { location: `${reportsOrigin}/whatif${url.search}`, message: 'on the reports server' };
  }
  if (!/^\/(?:reports|dashboard)(?:\/[\w.]*)?$/.test(url.pathname)) return undefined;
  if (!reportsOrigin) {
    return { message: 'The reports and the dashboard are served by npm start (or: npx closed-loop report --all --format html).' };
  }
  return { location: `${reportsOrigin}${url.pathname}${url.search}`, message: 'on the reports server' };
}
