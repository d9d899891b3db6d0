import type { Connection } from 'jsforce';
import { addDays, dateDay, daysBetween, formatDate, isDate, periodRange, type PeriodUnit } from '../calendar';
import type { CellOut, GroupOut } from './engine';
import { ReportPeriodError } from './errors';
import { isRelativeName, relativePeriod, reportLocalDate, type Period, type RelativeName } from './period';
import {
  DUPLICATE_REASONS,
  exampleOf,
  linkExamples,
  qualityReasons,
  REJECT,
  type ExampleLead,
  type QualityReasons,
  type RecordUrl
} from './qualityReasons';
import { runReport, userTimeZone, type ReportResult } from './runner';

/**
 * Marketing's weekly closed-loop digest: what happened to the leads marketing handed over in a period —
 * MQLs per lead source, how sales answered them (accepted, recycled, rejected) per source and campaign
 * with the top reasons and a few linked leads, the lead quality rating against the periods before, and the
 * duplicates sales flagged. Every figure is a shipped report's, computed by the report runner for the
 * period (Funnel_Conversion_And_Velocity, Lead_Quality_By_Lead_Source, Lead_Quality_By_Campaign and their
 * reasons reports), so it matches what those reports show in the org for the same dates.
 */

export const DIGEST_REPORTS = {
  funnel: 'Funnel_Conversion_And_Velocity',
  bySource: 'Lead_Quality_By_Lead_Source',
  byCampaign: 'Lead_Quality_By_Campaign',
  reasonsBySource: 'Lead_Quality_Reasons_By_Source',
  reasonsByCampaign: 'Lead_Quality_Reasons_By_Campaign'
} as const;

const RATING = 'Lead_Quality_Feedback__c$Rating__c:Average';
const MQL_TO_SAL = 'MQL_To_SAL';

export const SINCE_CHOICES =
  'last-week, this-week, last-month, this-month, last-quarter, this-quarter, <date> (YYYY-MM-DD, to today) or <from>..<to>';

/** `--since`: a relative period, a first date (up to today) or a range of dates. */
export function parseSince(value: string): Period {
  const v = value.trim();
  if (isRelativeName(v) && RELATIVE_UNITS[v]) return relativePeriod(v);
  if (isDate(v)) return { kind: 'range', from: v };
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(v);
  if (m && isDate(m[1]) && isDate(m[2])) {
    if (m[1] > m[2]) throw new ReportPeriodError(`--since ${value}: ${m[1]} is after ${m[2]}`);
    return { kind: 'range', from: m[1], to: m[2] };
  }
  throw new ReportPeriodError(`--since must be ${SINCE_CHOICES}, got "${value}"`);
}

/** The calendar unit of each relative period a digest covers (the periods before it are the units before). */
const RELATIVE_UNITS: Partial<Record<RelativeName, { unit: PeriodUnit; offset: number }>> = {
  'this-week': { unit: 'week', offset: 0 },
  'last-week': { unit: 'week', offset: -1 },
  'this-month': { unit: 'month', offset: 0 },
  'last-month': { unit: 'month', offset: -1 },
  'this-quarter': { unit: 'quarter', offset: 0 },
  'last-quarter': { unit: 'quarter', offset: -1 }
};

export interface DigestRow {
  /** the lead source, or the campaign's Id; null: none */
  key: string | null;
  label: string;
  /** leads that became MQLs in the period (lead sources only: the funnel report groups by source) */
  mqls?: number;
  /** share of those MQLs sales accepted (SAL) so far, percent */
  mqlToSal?: number | null;
  /** feedback submitted in the period */
  feedback: number;
  accepted: number;
  recycled: number;
  rejected: number;
  averageRating: number | null;
  /** the average rating in the period before, for the trend */
  previousRating?: number | null;
  topRecycle: QualityReasons['total']['recycle']['top'];
  topReject: QualityReasons['total']['reject']['top'];
  examples: ExampleLead[];
}

export interface RatingPoint {
  from: string;
  to: string;
  feedback: number;
  averageRating: number | null;
}

export interface Digest {
  title: string;
  period: { name: string; from: string; to: string; timeZone: string };
  computedAt: string;
  mqls: number;
  mqlToSal: number | null;
  feedback: { total: number; accepted: number; recycled: number; rejected: number; averageRating: number | null };
  bySource: DigestRow[];
  byCampaign: DigestRow[];
  topReasons: QualityReasons['total'];
  /** the average rating of this period and the ones before, oldest first (this period last) */
  ratingTrend: RatingPoint[];
  duplicates: { flagged: number; examples: ExampleLead[] };
  /** the reports behind the figures */
  reports: string[];
}

export interface DigestOptions {
  since: Period;
  pkgDir?: string;
  /** the running user's time zone (default: read from the org) */
  timeZone?: string;
  now?: Date;
  recordUrl?: RecordUrl;
  /** periods in the rating trend, this one included (default 4) */
  trend?: number;
  top?: number;
  examples?: number;
}

/** The local dates a period covers today in `tz` (relative periods as the org resolves them; an open range up to today). */
export function periodDates(p: Period, tz: string, now: Date): { from: string; to: string } {
  const today = reportLocalDate(now.getTime(), tz);
  if (p.kind === 'relative') {
    const u = RELATIVE_UNITS[p.name];
    if (!u) throw new ReportPeriodError(`a digest covers a week, a month or a quarter, not ${p.name}`);
    const r = periodRange(u.unit, dateDay(today)!, u.offset);
    return { from: formatDate(r.start), to: formatDate(r.end - 1) };
  }
  if (p.kind === 'range' && p.from) return { from: p.from, to: p.to ?? today };
  throw new ReportPeriodError('a digest needs a period with a first date');
}

/** The `n` periods before `p` (oldest first): the calendar units before a relative period, else ranges as long as it. */
export function periodsBefore(p: Period, dates: { from: string; to: string }, n: number): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  const u = p.kind === 'relative' ? RELATIVE_UNITS[p.name] : undefined;
  for (let k = n; k >= 1; k--) {
    if (u) {
      const r = periodRange(u.unit, dateDay(dates.from)!, -k);
      out.push({ from: formatDate(r.start), to: formatDate(r.end - 1) });
    } else {
      const days = daysBetween(dates.from, dates.to) + 1;
      out.push({ from: addDays(dates.from, -k * days), to: addDays(dates.to, -k * days) });
    }
  }
  return out;
}

export async function buildDigest(conn: Connection, opts: DigestOptions): Promise<Digest> {
  const tz = opts.timeZone ?? (await userTimeZone(conn));
  const now = opts.now ?? new Date();
  const dates = periodDates(opts.since, tz, now);
  const run = (report: string, period: Period = opts.since) => runReport(conn, report, { period, pkgDir: opts.pkgDir, timeZone: tz, now });
  const reasonOpts = { top: opts.top ?? 3, examples: opts.examples ?? 3 };

  const funnel = await run(DIGEST_REPORTS.funnel);
  const bySource = await run(DIGEST_REPORTS.bySource);
  const byCampaign = await run(DIGEST_REPORTS.byCampaign);
  const reasonsBySourceResult = await run(DIGEST_REPORTS.reasonsBySource);
  const reasonsBySource = qualityReasons(reasonsBySourceResult, reasonOpts);
  const reasonsByCampaign = qualityReasons(await run(DIGEST_REPORTS.reasonsByCampaign), reasonOpts);
  const duplicates = duplicatesOf(reasonsBySourceResult, opts.examples ?? 3);
  const previous = periodsBefore(opts.since, dates, Math.max((opts.trend ?? 4) - 1, 0));
  const before: ReportResult[] = [];
  for (const d of previous) before.push(await run(DIGEST_REPORTS.bySource, { kind: 'range', from: d.from, to: d.to }));
  const examples = [reasonsBySource, reasonsByCampaign].flatMap((q) => q.groups.flatMap((g) => g.examples));
  await linkExamples(conn, [...examples, ...duplicates.examples], opts.recordUrl);

  const lastBefore = before[before.length - 1];
  const sourceRows = rows(bySource, reasonsBySource, lastBefore).map((r) => {
    const f = funnel.groups.find((g) => g.level === 1 && g.path[0] === r.key);
    return { ...r, mqls: f?.values.RowCount ?? 0, mqlToSal: f?.values[MQL_TO_SAL] ?? null };
  });
  // sources with MQLs but no feedback yet are part of what marketing handed over
  for (const g of funnel.groups.filter((x) => x.level === 1 && !sourceRows.some((r) => r.key === x.path[0]))) {
    sourceRows.push({
      ...emptyRow(g.path[0], g.path[0] === null ? '(no lead source)' : g.labels[0]),
      mqls: g.values.RowCount ?? 0,
      mqlToSal: g.values[MQL_TO_SAL] ?? null
    });
  }
  const total = dispositions(bySource.grandTotal.cells);
  return {
    title: 'Closed-loop digest: what sales did with marketing’s leads',
    period: { name: periodName(opts.since), from: dates.from, to: dates.to, timeZone: tz },
    computedAt: now.toISOString(),
    mqls: funnel.grandTotal.values.RowCount ?? 0,
    mqlToSal: funnel.grandTotal.values[MQL_TO_SAL] ?? null,
    feedback: { total: bySource.grandTotal.values.RowCount ?? 0, ...total, averageRating: bySource.grandTotal.values[RATING] ?? null },
    bySource: sourceRows.sort((a, b) => (b.mqls ?? 0) - (a.mqls ?? 0) || b.feedback - a.feedback || a.label.localeCompare(b.label)),
    byCampaign: rows(byCampaign, reasonsByCampaign).sort((a, b) => b.feedback - a.feedback || a.label.localeCompare(b.label)),
    topReasons: reasonsBySource.total,
    ratingTrend: [
      ...before.map((r, i) => ({
        ...previous[i],
        feedback: r.grandTotal.values.RowCount ?? 0,
        averageRating: r.grandTotal.values[RATING] ?? null
      })),
      { ...dates, feedback: bySource.grandTotal.values.RowCount ?? 0, averageRating: bySource.grandTotal.values[RATING] ?? null }
    ],
    duplicates,
    reports: Object.values(DIGEST_REPORTS)
  };
}

function periodName(p: Period): string {
  if (p.kind === 'relative') return p.name;
  if (p.kind === 'range') return p.to ? `${p.from}..${p.to}` : `since ${p.from}`;
  return 'all time';
}

/** Accepted, recycled and rejected of a matrix row (its cells by disposition). */
function dispositions(cells: CellOut[] | undefined) {
  const count = (d: string) => cells?.find((c) => c.path[0] === d)?.values.RowCount ?? 0;
  return { accepted: count('Accept'), recycled: count('Recycle'), rejected: count(REJECT) };
}

function emptyRow(key: string | null, label: string): DigestRow {
  return {
    key,
    label,
    feedback: 0,
    accepted: 0,
    recycled: 0,
    rejected: 0,
    averageRating: null,
    topRecycle: [],
    topReject: [],
    examples: []
  };
}

/** One row per group of a lead quality report, with its reasons (and its rating in the period before). */
function rows(quality: ReportResult, reasons: QualityReasons, before?: ReportResult): DigestRow[] {
  return quality.groups
    .filter((g: GroupOut) => g.level === 1)
    .map((g) => {
      const r = reasons.groups.find((x) => x.key === g.path[0]);
      const prev = before?.groups.find((x) => x.level === 1 && x.path[0] === g.path[0]);
      return {
        key: g.path[0],
        label: g.path[0] === null ? `(no ${quality.groupingsDown[0].label.toLowerCase()})` : g.labels[0],
        feedback: g.values.RowCount ?? 0,
        ...dispositions(g.cells),
        averageRating: g.values[RATING] ?? null,
        ...(before ? { previousRating: prev?.values[RATING] ?? null } : {}),
        topRecycle: r?.recycle.top ?? [],
        topReject: r?.reject.top ?? [],
        examples: r?.examples ?? []
      };
    });
}

/**
 * Leads sales rejected as duplicates ("Duplicate", "Already in contact"), which marks them for dedupe
 * (Lead.Needs_Dedupe__c): counted from the reasons report's groups, the newest few as examples.
 */
function duplicatesOf(result: ReportResult, n: number): Digest['duplicates'] {
  const leaves = result.groups.filter((g) => g.level === 3 && g.path[1] === REJECT && DUPLICATE_REASONS.includes(g.labels[2]));
  const examples = leaves
    .flatMap((g) => (g.rows ?? []).map((row) => exampleOf(result, g, row)))
    .sort((a, b) => String(b.submittedAt ?? '').localeCompare(String(a.submittedAt ?? '')));
  return { flagged: leaves.reduce((s, g) => s + (g.values.RowCount ?? 0), 0), examples: examples.slice(0, n) };
}
