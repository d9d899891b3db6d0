import type { Connection } from 'jsforce';
import { chunked, OrgData, soql } from '../org/data';
import type { GroupOut } from './engine';
import { runReport, type ReportResult, type RunOptions } from './runner';
import type { DispositionReasons, ExampleLead, QualityReasons, ReasonsGroup, RecordUrl } from './reasonTypes';

export type { DispositionReasons, ExampleLead, QualityReasons, ReasonFigure, ReasonsGroup, RecordUrl } from './reasonTypes';

/**
 * Closing the loop for marketing: why sales recycled or rejected the leads of each lead source and
 * campaign, and a few of those leads to look at. The figures are the shipped reports
 * `Lead_Quality_Reasons_By_Source` and `…_By_Campaign` (summary reports grouped by source or campaign,
 * then disposition, then reason, with the leads as detail rows, newest first): what the org's Reports
 * tab shows for them, read here into per-source top reasons and example leads. Nothing is counted
 * outside the report runner; the example leads' record Ids come from one extra query (the report type
 * shows a lookup by its name).
 */

/** Each lead quality report and the reasons report that goes with it (same grouping, recycled and rejected leads only). */
export const REASONS_REPORT_OF: Readonly<Record<string, string>> = {
  Lead_Quality_By_Lead_Source: 'Lead_Quality_Reasons_By_Source',
  Lead_Quality_By_Campaign: 'Lead_Quality_Reasons_By_Campaign'
};

/** The disposition values the reasons reports filter on (Lead_Quality_Feedback__c.Disposition__c). */
export const RECYCLE = 'Recycle';
export const REJECT = 'Reject';
/** Reasons that mark the lead for dedupe when sales rejects it (Lead.Needs_Dedupe__c). */
export const DUPLICATE_REASONS: readonly string[] = ['Duplicate', 'Already in contact'];

/** A Lightning Experience record page: `<instance>/lightning/r/Lead/<Id>/view`. */
export function lightningRecordUrl(instanceUrl: string): RecordUrl {
  const base = instanceUrl.replace(/\/+$/, '');
  return (object, id) => `${base}/lightning/r/${object}/${encodeURIComponent(id)}/view`;
}

/** The browser preview's record page (`<preview>/lead/<Id>`, scripts/preview/layouts.ts). */
export function previewRecordUrl(previewUrl: string): RecordUrl {
  const base = previewUrl.replace(/\/+$/, '');
  return (object, id) => `${base}/${object.toLowerCase()}/${encodeURIComponent(id)}`;
}

export interface ReasonsOptions {
  /** reasons shown per disposition (default 3) */
  top?: number;
  /** example leads per group (default 3) */
  examples?: number;
}

const column = (r: ReportResult, field: string) => r.detailColumns.find((c) => c.column.endsWith(`$${field}`))?.column;

/** The top reasons and example leads of a reasons report's result (no org access: links come from withLeadLinks). */
export function qualityReasons(result: ReportResult, opts: ReasonsOptions = {}): QualityReasons {
  const top = opts.top ?? 3;
  const perGroup = opts.examples ?? 3;
  if (result.groupingsDown.length !== 3) {
    throw new Error(`report ${result.report} is not a reasons report (grouped by source or campaign, disposition and reason)`);
  }
  const submittedAt = column(result, 'Submitted_At__c');
  const level = (n: number) => result.groups.filter((g) => g.level === n);
  const count = (g: GroupOut) => g.values.RowCount ?? 0;
  const reasonsOf = (leaves: GroupOut[], disposition: string, parentCount: number): DispositionReasons => {
    const byReason = new Map<string, number>();
    for (const g of leaves) if (g.path[1] === disposition) byReason.set(g.labels[2], (byReason.get(g.labels[2]) ?? 0) + count(g));
    const figures = [...byReason].map(([reason, n]) => ({ reason, count: n, share: parentCount > 0 ? share(n, parentCount) : null }));
    // a stable sort keeps the report's order (the picklist's) among equal counts
    return { count: parentCount, top: figures.sort((a, b) => b.count - a.count).slice(0, top) };
  };
  const leaves = level(3);
  const groups: ReasonsGroup[] = level(1).map((g1) => {
    const mine = leaves.filter((g) => g.path[0] === g1.path[0]);
    const countOf = (d: string) => {
      const g2 = level(2).find((g) => g.path[0] === g1.path[0] && g.path[1] === d);
      return g2 ? count(g2) : 0;
    };
    const recycle = reasonsOf(mine, RECYCLE, countOf(RECYCLE));
    const reject = reasonsOf(mine, REJECT, countOf(REJECT));
    return { key: g1.path[0], label: g1.labels[0], recycle, reject, examples: examples(mine, reject, recycle, perGroup) };
  });
  const totalOf = (d: string) => leaves.filter((g) => g.path[1] === d).reduce((n, g) => n + count(g), 0);
  return {
    report: result.report,
    label: result.label,
    by: { column: result.groupingsDown[0].column, label: result.groupingsDown[0].label },
    period: result.period,
    groups,
    total: { recycle: reasonsOf(leaves, RECYCLE, totalOf(RECYCLE)), reject: reasonsOf(leaves, REJECT, totalOf(REJECT)) }
  };

  /**
   * A few leads behind the group's top reasons: the newest lead of each top reason in turn — rejection #1,
   * recycle #1, rejection #2, … — then the next newest of each, so the examples show what the figures say.
   */
  function examples(mine: GroupOut[], reject: DispositionReasons, recycle: DispositionReasons, n: number): ExampleLead[] {
    const submitted = (row: { values: Record<string, unknown> }) => String(row.values[submittedAt ?? ''] ?? '');
    const rowsOf = (disposition: string, reason: string) =>
      mine
        .filter((g) => g.path[1] === disposition && g.labels[2] === reason)
        .flatMap((g) => (g.rows ?? []).map((row) => ({ g, row })))
        .sort((a, b) => submitted(b.row).localeCompare(submitted(a.row)));
    const rejected = reject.top.map((f) => rowsOf(REJECT, f.reason));
    const recycled = recycle.top.map((f) => rowsOf(RECYCLE, f.reason));
    const lists: Array<ReturnType<typeof rowsOf>> = [];
    for (let i = 0; i < Math.max(rejected.length, recycled.length); i++)
      lists.push(...[rejected[i], recycled[i]].filter((l) => l !== undefined));
    const out: ExampleLead[] = [];
    for (let round = 0; out.length < n && lists.some((l) => l.length > round); round++) {
      for (const l of lists) if (l[round] && out.length < n) out.push(exampleOf(result, l[round].g, l[round].row));
    }
    return out;
  }
}

/** A detail row of a reasons report (under its reason group) as an example lead; not linked yet (linkExamples). */
export function exampleOf(result: ReportResult, g: GroupOut, row: { id: string; values: Record<string, unknown> }): ExampleLead {
  const v = (field: string) => {
    const c = column(result, field);
    return c === undefined ? null : (row.values[c] ?? null);
  };
  const rating = v('Rating__c');
  return {
    feedbackId: row.id,
    leadId: null,
    lead: String(v('Lead__c') ?? '-'),
    company: (v('Lead__c.Company') as string | null) ?? null,
    disposition: String(g.path[1]),
    reason: g.labels[2],
    rating: typeof rating === 'number' ? rating : null,
    comment: (v('Comment__c') as string | null) ?? null,
    submittedAt: (v('Submitted_At__c') as string | null) ?? null,
    url: null
  };
}

/** Percent, one decimal, as the report's `% of Disposition` shows it. */
function share(n: number, of: number): number {
  return Math.round((n / of) * 1000) / 10;
}

/** Fills the example leads' Lead Ids (one query by their feedback Ids) and their links. */
export async function linkExamples(conn: Connection, examples: ExampleLead[], recordUrl?: RecordUrl): Promise<void> {
  const ids = [...new Set(examples.map((e) => e.feedbackId))];
  const leadOf = new Map<string, string>();
  const data = new OrgData(conn);
  // 200 Ids a query keeps its URL well inside the REST API's limit
  for (const chunk of chunked(ids, 200)) {
    const rows = await data.all<{ Id: string; Lead__c: string | null }>(
      soql`SELECT Id, Lead__c FROM Lead_Quality_Feedback__c WHERE Id IN ${chunk}`
    );
    for (const r of rows) if (r.Lead__c) leadOf.set(r.Id, r.Lead__c);
  }
  for (const e of examples) {
    e.leadId = leadOf.get(e.feedbackId) ?? null;
    e.url = e.leadId && recordUrl ? recordUrl('Lead', e.leadId) : null;
  }
}

/** linkExamples for the example leads of reasons results. */
export function withLeadLinks(conn: Connection, reasons: QualityReasons[], recordUrl?: RecordUrl): Promise<void> {
  return linkExamples(
    conn,
    reasons.flatMap((r) => r.groups.flatMap((g) => g.examples)),
    recordUrl
  );
}

/** Runs a reasons report and reads it (with the example leads linked). */
export async function runQualityReasons(
  conn: Connection,
  report: string,
  opts: RunOptions & ReasonsOptions & { recordUrl?: RecordUrl }
): Promise<{ result: ReportResult; reasons: QualityReasons }> {
  const result = await runReport(conn, report, opts);
  const reasons = qualityReasons(result, opts);
  await withLeadLinks(conn, [reasons], opts.recordUrl);
  return { result, reasons };
}

/**
 * Gives each lead quality report among `results` its `reasons`: from its reasons report's result when
 * that is among `results` too (`report --all`), else by running it for the same period.
 */
export async function attachReasons(
  conn: Connection,
  results: ReportResult[],
  opts: RunOptions & ReasonsOptions & { recordUrl?: RecordUrl }
): Promise<void> {
  for (const r of results) {
    const companion = REASONS_REPORT_OF[r.report];
    if (!companion) continue;
    const reasonsResult = results.find((x) => x.report === companion) ?? (await runReport(conn, companion, opts));
    r.reasons = qualityReasons(reasonsResult, opts);
  }
  await withLeadLinks(
    conn,
    results.flatMap((r) => (r.reasons ? [r.reasons] : [])),
    opts.recordUrl
  );
}
