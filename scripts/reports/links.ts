import type { ReportDef } from './definitions';

/**
 * Where a figure's report opens, with the figure's period as a filter.
 *
 * - On the reports server (`npm start`, the local org, which has no Report records): the report's page,
 *   `/reports/<Name>?period=<from>..<to>`.
 * - In an org: the report record's Lightning URL, `/lightning/r/Report/<Id>/view`. Lightning Experience sets
 *   report filter values from URL parameters `fv0`, `fv1`, … — the N-th of the report's field filters, in the
 *   order of its filter criteria (Spring '17 release notes, "Filter Reports via URL Parameters in Lightning
 *   Experience": https://releasenotes.docs.salesforce.com/en-us/spring17/release-notes/rn_rd_reports_filter_url.htm).
 *   Only field filters take values that way, not the standard date filter (`timeFrameFilter`; the Analytics API
 *   likewise filters "with up to 20 custom field filters … but standard filters (such as range) … are
 *   unavailable": https://developer.salesforce.com/docs/analytics/salesforce-analytics-rest-api/guide/sforce-analytics-rest-api-filter-reportdata.html).
 *   So the period goes into the URL when the report has field filters on its date column (`greaterOrEqual` for
 *   the first day, `lessOrEqual` for the last); otherwise the link opens the report with its own period.
 */
export interface ReportLink {
  report: string;
  /** The report's page on the reports server, with the period. */
  local: string;
  /** In an org with the report's Id: its Lightning URL (relative to the org's domain). */
  org?: string;
  /** Whether `org` carries the period (see above). */
  orgPeriod?: boolean;
}

export function reportLink(def: ReportDef, period: { from: string; to: string }, reportId?: string): ReportLink {
  const local = `/reports/${encodeURIComponent(def.developerName)}?period=${encodeURIComponent(`${period.from}..${period.to}`)}`;
  if (!reportId) return { report: def.developerName, local };
  const params = new URLSearchParams();
  const dateColumn = def.timeFrame?.column;
  def.filter.items.forEach((item, i) => {
    if (!dateColumn || item.column !== dateColumn) return;
    if (item.operator === 'greaterOrEqual') params.set(`fv${i}`, period.from);
    else if (item.operator === 'lessOrEqual') params.set(`fv${i}`, period.to);
  });
  const query = params.toString();
  return {
    report: def.developerName,
    local,
    org: `/lightning/r/Report/${encodeURIComponent(reportId)}/view${query ? `?${query}` : ''}`,
    orgPeriod: query.length > 0
  };
}
