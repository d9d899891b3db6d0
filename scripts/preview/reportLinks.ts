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

/** The app's tabs as in Lightning Experience: after Home, the dashboard and the reports (when they are served). */
export function navLinks(reportsOrigin: string | undefined): string {
  return reportsOrigin ? '<li><a href="/dashboard">Dashboard</a></li><li><a href="/reports">Reports</a></li>' : '';
}

/** On Home: where a manager goes next, each shipped dashboard by its title and all the reports (`escapeHtml`: the page's escaping). */
export function homeLinks(reportsOrigin: string | undefined, escapeHtml: (s: string) => string): string {
  if (!reportsOrigin) return '';
  const dashboards = listDashboards().map(
    (d) => `<li class="slds-item"><a href="/dashboard/${escapeHtml(d.developerName)}">${escapeHtml(d.title)} (dashboard)</a></li>`
  );
  return `<nav class="slds-card slds-var-m-bottom_small slds-var-p-around_small preview-home-links" aria-label="Dashboards and reports">
<ul class="slds-list_horizontal slds-has-dividers_left">
${dashboards.join('\n')}
<li class="slds-item"><a href="/reports">All Closed Loop reports</a></li>
</ul></nav>`;
}

/**
 * Where a request for `/reports…` or `/dashboard…` goes: the same path on the reports server; a message when
 * no reports server is known; undefined for any other path.
 */
export function reportsRedirect(reportsOrigin: string | undefined, url: URL): { location?: string; message: string } | undefined {
  if (!/^\/(?:reports|dashboard)(?:\/[\w.]*)?$/.test(url.pathname)) return undefined;
  if (!reportsOrigin) {
    return { message: 'The reports and the dashboard are served by npm start (or: npx closed-loop report --all --format html).' };
  }
  return { location: `${reportsOrigin}${url.pathname}${url.search}`, message: 'on the reports server' };
}
