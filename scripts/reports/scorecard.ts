import type { Connection } from 'jsforce';
import { addDays, daysBetween } from '../calendar';
import { describeSaveError, OrgData, soql } from '../org/data';
import { PACKAGE_DIR } from '../project';
import { reportCalendars } from './calendars';
import { loadReport } from './definitions';
import { ReportMetadataError, ScorecardError } from './errors';
import { reportLink, type ReportLink } from './links';
import { pace, verdict, type PeriodStatus, type Result } from './pacing';
import { calendarPeriod, relativeBounds, reportDayStart, reportLocalDate, type CalendarPeriod, type Period } from './period';
import { compileReport, runReport, userTimeZone, type ReportResult } from './runner';

export type { Result } from './pacing';

/**
 * The two-sided alignment scorecard: each Alignment_Commitment__mdt record of the org, its target,
 * its actual this period and the periods before, met or missed. Every actual is a figure of the
 * commitment's linked report (Report__c, Report_Figure__c) computed by the report runner, so the
 * scorecard and the reports cannot disagree.
 */

export interface Commitment {
  developerName: string;
  label: string;
  side: string;
  metric: string;
  target: number | null;
  comparison: 'At Least' | 'At Most';
  unit: string;
  period: 'Month' | 'Quarter';
  report: string;
  figure: string;
  description: string;
}

export interface PeriodActual {
  period: string;
  label: string;
  from: string;
  to: string;
  /** The figure; null when the report has no records in the period ("no data", never 0). */
  actual: number | null;
  /** Met or Missed once the period has ended; On pace or Off pace while it runs; Not started; No data. */
  result: Result;
  status: PeriodStatus;
  /** In progress: the share of the period's business time that has passed (0–1). */
  elapsed?: number;
  /** In progress, a volume (Count) commitment: the target pro-rated to now. */
  expected?: number;
  /** "behind pace: 201 of 240 expected by today", "met", "no data" … */
  note: string;
  /** The report behind the figure, with the period as a filter (./links). */
  link: ReportLink;
}

export interface ScorecardLine extends Commitment {
  reportLabel: string;
  /** The report's record Id in the org (none on the local org, which has no Report records). */
  reportId?: string;
  current: PeriodActual;
  /** The periods before the current one, oldest first. */
  trend: PeriodActual[];
}

export interface Scorecard {
  computedAt: string;
  timeZone: string;
  /** The business calendar periods are paced on (BusinessHours.Name), or null: wall-clock time. */
  calendar: string | null;
  lines: ScorecardLine[];
}

export interface ScorecardOptions {
  /** Which period is "current" (default: the one containing today). */
  period?: Period;
  /** How many earlier periods the trend shows (default 3). */
  trend?: number;
  now?: Date;
  timeZone?: string;
  pkgDir?: string;
}

interface CommitmentRecord {
  DeveloperName: string;
  MasterLabel: string;
  Side__c: string | null;
  Metric__c: string | null;
  Target__c: number | null;
  Comparison__c: string | null;
  Unit__c: string | null;
  Period__c: string | null;
  Report__c: string | null;
  Report_Figure__c: string | null;
  Description__c: string | null;
}

/** The org's Alignment_Commitment__mdt records (admins edit them in Setup). */
export async function readCommitments(conn: Connection): Promise<Commitment[]> {
  const records = await new OrgData(conn).all<CommitmentRecord & { [field: string]: unknown }>(
    soql`SELECT DeveloperName, MasterLabel, Side__c, Metric__c, Target__c, Comparison__c, Unit__c, Period__c, Report__c, Report_Figure__c, Description__c FROM Alignment_Commitment__mdt ORDER BY Side__c, MasterLabel`
  );
  return records.map((r) => {
    const where = `Alignment_Commitment__mdt ${r.DeveloperName}`;
    if (!r.Report__c) throw new ScorecardError(`${where}: Report__c is blank (name the report that explains the commitment)`);
    if (r.Period__c !== 'Month' && r.Period__c !== 'Quarter') throw new ScorecardError(`${where}: Period__c must be Month or Quarter`);
    return {
      developerName: r.DeveloperName,
      label: r.MasterLabel,
      side: r.Side__c ?? '',
      metric: r.Metric__c ?? '',
      target: r.Target__c,
      comparison: r.Comparison__c === 'At Most' ? 'At Most' : 'At Least',
      unit: r.Unit__c ?? '',
      period: r.Period__c,
      report: r.Report__c,
      figure: r.Report_Figure__c ?? '',
      description: r.Description__c ?? ''
    };
  });
}

export interface FigureSpec {
  summary: string;
  path: string[];
}

/** `Percent_Met @ Accept`, `Close_Ratio @ true / true`, `RowCount`; blank = the first summary formula at the grand total. */
export function parseFigure(text: string): FigureSpec {
  const [summary, path] = text.split('@').map((s) => s.trim());
  return { summary: summary ?? '', path: path ? path.split('/').map((s) => s.trim()) : [] };
}

/** The figure of a report result; null when the group it names has no records this period. */
export function readFigure(result: ReportResult, spec: FigureSpec, where: string): number | null {
  const summary = figureSummary(result.summaries, spec);
  if (!summary || !result.summaries.some((s) => s.key === summary)) {
    throw new ScorecardError(
      `${where}: report ${result.report} has no summary ${spec.summary || '(formula)'}; it has ${result.summaries.map((s) => s.key).join(', ')}`
    );
  }
  if (spec.path.length > result.groupingsDown.length)
    throw new ScorecardError(`${where}: report ${result.report} has only ${result.groupingsDown.length} groupings`);
  if (spec.path.length === 0) return result.grandTotal.values[summary] ?? null;
  const match = (g: { labels: string[]; path: Array<string | null> }) =>
    spec.path.every((p, i) => g.labels[i]?.toLowerCase() === p.toLowerCase() || (g.path[i] ?? '').toLowerCase() === p.toLowerCase());
  const group = result.groups.find((g) => g.level === spec.path.length && match(g));
  return group ? (group.values[summary] ?? null) : null;
}

/** The summary a figure spec names; blank = the report's first summary formula. */
export function figureSummary(summaries: ReadonlyArray<{ key: string; derived?: boolean }>, spec: FigureSpec): string | undefined {
  return spec.summary || summaries.find((s) => !['RowCount'].includes(s.key) && !s.key.includes(':') && !s.derived)?.key;
}

/** The verdict on a period that has ended. */
export function judge(actual: number | null, target: number | null, comparison: Commitment['comparison']): Result {
  return verdict(actual, target, comparison);
}

/** A commitment's figure as the scorecard writes it: `78.4%`, `300`, `3.5`. */
export function formatCommitmentFigure(v: number | null, unit: string): string {
  if (v === null) return '-';
  const s = v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return unit === 'Percent' ? `${s}%` : unit === 'Minutes' ? `${s} min` : s;
}

/** Checks every commitment's report and figure spec against the shipped report metadata (no org needed). */
export function checkCommitmentReports(commitments: Commitment[], pkgDir: string = PACKAGE_DIR): void {
  for (const c of commitments) {
    const where = `Alignment_Commitment__mdt ${c.developerName}`;
    let plan;
    try {
      plan = compileReport(loadReport(c.report, pkgDir), pkgDir);
    } catch (e) {
      throw new ScorecardError(`${where}: Report__c ${c.report}: ${(e as Error).message}`);
    }
    const spec = parseFigure(c.figure);
    if (spec.summary && !plan.summaryInfo.some((s) => s.key === spec.summary)) {
      throw new ScorecardError(`${where}: Report_Figure__c names ${spec.summary}, which report ${c.report} does not have`);
    }
    if (spec.path.length > plan.down.length)
      throw new ScorecardError(`${where}: Report_Figure__c goes deeper than report ${c.report}'s groupings`);
  }
}

/** The periods a commitment is judged on: the current one (by `period`) and `trend` before it, oldest first. */
export function commitmentPeriods(unit: 'Month' | 'Quarter', today: string, period: Period | undefined, trend: number): CalendarPeriod[] {
  const out: CalendarPeriod[] = [];
  if (period?.kind === 'range' && period.from && period.to) {
    const days = daysBetween(period.from, period.to) + 1;
    for (let i = trend; i >= 0; i--) {
      const from = addDays(period.from, -i * days);
      const to = addDays(period.to, -i * days);
      out.push({ key: `${from}..${to}`, label: `${from} to ${to}`, from, to });
    }
    return out;
  }
  let anchor = today;
  if (period?.kind === 'relative') {
    if (period.name.startsWith('last-')) anchor = relativeBounds(unit === 'Month' ? 'last-month' : 'last-quarter', today).from;
    else if (!period.name.startsWith('this-'))
      throw new ScorecardError(`the scorecard takes --period this-month, last-month, this-quarter, last-quarter or a date range`);
  }
  for (let i = trend; i >= 0; i--) out.push(calendarPeriod(unit, anchor, -i));
  return out;
}

/** Computes the scorecard: one report run per linked report and period (shared between commitments). */
export async function computeScorecard(conn: Connection, opts: ScorecardOptions = {}): Promise<Scorecard> {
  const pkgDir = opts.pkgDir ?? PACKAGE_DIR;
  const commitments = await readCommitments(conn);
  checkCommitmentReports(commitments, pkgDir);
  const tz = opts.timeZone ?? (await userTimeZone(conn));
  const now = opts.now ?? new Date();
  const today = reportLocalDate(now.getTime(), tz);
  const trend = opts.trend ?? 3;
  const calendar = (await reportCalendars(conn)).main;
  const ids = await reportIds(
    conn,
    commitments.map((c) => c.report)
  );
  // each report computes only the figures its commitments read, without detail rows (nor the count of the
  // Cancelled timers a report leaves out, which the scorecard does not show): the org aggregates
  // what it can (./reading.ts), so the scorecard's cost follows its groups, not the org's rows
  // and only down to the deepest grouping its commitments name (`Percent_Met @ Accept`: the clock; none for a grand
  // total), so the org groups by as few columns as the figures need
  const figures = new Map<string, Set<string>>();
  const depth = new Map<string, number>();
  for (const c of commitments) {
    const key = loadReport(c.report, pkgDir).developerName;
    const set = figures.get(key) ?? new Set<string>();
    const spec = parseFigure(c.figure);
    set.add(figureSummary(compileReport(loadReport(c.report, pkgDir), pkgDir).summaryInfo, spec) ?? 'RowCount');
    figures.set(key, set);
    depth.set(key, Math.max(depth.get(key) ?? 0, spec.path.length));
  }
  const cache = new Map<string, Promise<ReportResult>>();
  const run = (report: string, p: CalendarPeriod) => {
    const key = `${report}|${p.from}|${p.to}`;
    let r = cache.get(key);
    if (!r) {
      const name = loadReport(report, pkgDir).developerName;
      const summaries = [...(figures.get(name) ?? [])];
      r = runReport(conn, report, {
        groupings: depth.get(name) ?? 0,
        period: { kind: 'range', from: p.from, to: p.to },
        timeZone: tz,
        now,
        pkgDir,
        summaries,
        details: false,
        countExcluded: false
      });
      cache.set(key, r);
    }
    return r;
  };
  const lines: ScorecardLine[] = [];
  for (const c of commitments) {
    const where = `Alignment_Commitment__mdt ${c.developerName}`;
    const periods = commitmentPeriods(c.period, today, opts.period, trend);
    const spec = parseFigure(c.figure);
    const actuals: PeriodActual[] = [];
    const def = loadReport(c.report, pkgDir);
    let reportLabel = def.name;
    for (const p of periods) {
      const start = reportDayStart(p.from, tz);
      const end = reportDayStart(addDays(p.to, 1), tz);
      let actual: number | null = null;
      if (now.getTime() >= start) {
        let result: ReportResult;
        try {
          result = await run(c.report, p);
        } catch (e) {
          if (e instanceof ReportMetadataError) throw new ScorecardError(`${where}: ${e.message}`);
          throw e;
        }
        reportLabel = result.label;
        // a period whose report has no records has no figure: "no data", not 0 (nor a 0 % rate)
        actual = result.grandTotal.values.RowCount === 0 ? null : readFigure(result, spec, where);
      }
      const standing = pace({
        actual,
        target: c.target,
        comparison: c.comparison,
        unit: c.unit,
        start,
        end,
        now: now.getTime(),
        calendar: calendar?.calendar ?? null,
        format: (v) => formatCommitmentFigure(v, c.unit)
      });
      actuals.push({
        period: p.key,
        label: p.label,
        from: p.from,
        to: p.to,
        actual,
        result: standing.result,
        status: standing.status,
        ...(standing.elapsed !== undefined ? { elapsed: standing.elapsed } : {}),
        ...(standing.expected !== undefined ? { expected: standing.expected } : {}),
        note: standing.note,
        link: reportLink(def, p, ids[def.developerName])
      });
    }
    const reportId = ids[def.developerName];
    lines.push({ ...c, reportLabel, ...(reportId ? { reportId } : {}), current: actuals[actuals.length - 1], trend: actuals.slice(0, -1) });
  }
  return { computedAt: now.toISOString(), timeZone: tz, calendar: calendar?.name ?? null, lines };
}

/** Report Ids by DeveloperName, where the org has Report records (a real org); {} on the local org. */
export async function reportIds(conn: Connection, names: string[]): Promise<Record<string, string>> {
  if (names.length === 0) return {};
  try {
    const rows = await new OrgData(conn).all<{ Id: string; DeveloperName: string }>(
      soql`SELECT Id, DeveloperName FROM Report WHERE DeveloperName IN ${[...new Set(names)]}`
    );
    return Object.fromEntries(rows.map((r) => [r.DeveloperName, r.Id]));
  } catch (e) {
    const code = (e as { errorCode?: string }).errorCode;
    if (code === 'INVALID_TYPE' || code === 'NOT_FOUND') return {};
    throw e;
  }
}

/** Where a figure's report opens from the app: the org's report URL when the org has the report, else the reports server's page. */
export function figureUrl(link: ReportLink): string {
  return link.org ?? link.local;
}

/** The Scorecard_Snapshot__c record of a line (upserted on Commitment__c). */
export function snapshotRecord(line: ScorecardLine, computedAt: string, reportId: string | undefined): Record<string, unknown> {
  return {
    Name: line.label.slice(0, 80),
    Commitment__c: line.developerName,
    Side__c: line.side,
    Metric__c: line.metric,
    Unit__c: line.unit,
    Comparison__c: line.comparison,
    Period__c: line.period,
    Target__c: line.target,
    Actual__c: line.current.actual,
    Result__c: line.current.result,
    Pace__c: line.current.note.slice(0, 255),
    Expected_To_Date__c: line.current.expected ?? null,
    Report_Url__c: figureUrl(line.current.link).slice(0, 255),
    Period_Label__c: line.current.label,
    Period_Start__c: line.current.from,
    Period_End__c: line.current.to,
    Trend__c: JSON.stringify(
      line.trend.map((t) => ({ period: t.period, label: t.label, actual: t.actual, result: t.result, url: figureUrl(t.link) }))
    ),
    Report_Name__c: line.report,
    Report_Id__c: reportId ?? null,
    Report_Figure__c: line.figure || null,
    Description__c: line.description ? line.description.slice(0, 255) : null,
    Computed_At__c: computedAt
  };
}

/**
 * Writes the scorecard as Scorecard_Snapshot__c records (what the alignmentScorecard component reads):
 * upsert on Commitment__c, and removes snapshots of commitments that no longer exist.
 */
export async function writeSnapshots(conn: Connection, card: Scorecard): Promise<{ upserted: number; deleted: number }> {
  const records = card.lines.map((l) => snapshotRecord(l, card.computedAt, l.reportId));
  const data = new OrgData(conn);
  let upserted = 0;
  for (const r of await data.upsert('Scorecard_Snapshot__c', 'Commitment__c', records, { allOrNone: true })) {
    if (!r.success) throw new ScorecardError(`Scorecard_Snapshot__c upsert failed: ${describeSaveError(r)}`);
    upserted++;
  }
  const keep = new Set(card.lines.map((l) => l.developerName));
  const existing = await data.all<{ Id: string; Commitment__c: string }>(soql`SELECT Id, Commitment__c FROM Scorecard_Snapshot__c`);
  const stale = existing.filter((r) => !keep.has(r.Commitment__c)).map((r) => r.Id);
  for (const r of await data.delete('Scorecard_Snapshot__c', stale, { allOrNone: true })) {
    if (!r.success) throw new ScorecardError(`Scorecard_Snapshot__c delete failed: ${describeSaveError(r)}`);
  }
  return { upserted, deleted: stale.length };
}
