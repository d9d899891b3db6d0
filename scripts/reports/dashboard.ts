import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection } from 'jsforce';
import { asArray, bool, num, readXml, rootOf, text, type XmlNode } from '../metadata/xml';
import { PACKAGE_DIR } from '../project';
import { loadReport } from './definitions';
import { ReportMetadataError, ReportNotFoundError } from './errors';
import { runReport, type ReportResult, type RunOptions } from './runner';

/**
 * The shipped dashboards, read from their metadata (dashboards/<Folder>/<Name>.dashboard-meta.xml) and
 * computed with the report runner: every component's source report is run as the org would run it for the
 * viewing user, and the component keeps what the metadata says about it — type, groupings, summaries, display
 * options and its place in the grid (column, row, spans). render/dashboard.ts draws it with the reports'
 * chart code. Nothing about a dashboard is written in code.
 */
export interface DashboardComponentDef {
  /** 0-based position in the file (the order an org lists them in). */
  index: number;
  header?: string;
  title?: string;
  footer?: string;
  /** Bar, BarGrouped, BarStacked, Column…, Line…, Pie, Donut, Funnel, Metric, Gauge, Table. */
  componentType: string;
  /** `Folder/DeveloperName`. */
  report: string;
  /** The first is the axis (or slices); the second, when there is one, the series. */
  groupingColumns: string[];
  chartSummaries: Array<{ column: string; aggregate?: string }>;
  showValues: boolean;
  showPercentage: boolean;
  showTotal: boolean;
  maxValuesDisplayed?: number;
  sortBy?: string;
  legendPosition?: string;
  /** Show the report's own chart instead of the component's settings. */
  useReportChart: boolean;
  /** Grid placement, in the dashboard's columns and rows (0-based). */
  grid: { column: number; row: number; colSpan: number; rowSpan: number };
}

export interface DashboardDef {
  developerName: string;
  folder: string;
  title: string;
  description: string;
  /** LoggedInUser (runs as the viewer), SpecifiedUser, MyTeamsDashboard. */
  runningAs: string;
  /** Grid columns (12) and the height of a grid row in pixels (36). */
  columns: number;
  rowHeight: number;
  components: DashboardComponentDef[];
  file: string;
}

function dashboardsDir(pkgDir: string): string {
  return path.join(pkgDir, 'main', 'default', 'dashboards');
}

/** Every shipped dashboard, in folder/name order. */
export function listDashboards(pkgDir: string = PACKAGE_DIR): DashboardDef[] {
  const dir = dashboardsDir(pkgDir);
  if (!fs.existsSync(dir)) return [];
  const out: DashboardDef[] = [];
  for (const folder of fs.readdirSync(dir).sort()) {
    const fdir = path.join(dir, folder);
    if (!fs.statSync(fdir).isDirectory()) continue;
    for (const f of fs.readdirSync(fdir).sort()) {
      if (f.endsWith('.dashboard-meta.xml')) out.push(parseDashboard(folder, path.join(fdir, f)));
    }
  }
  return out;
}

/** A shipped dashboard by DeveloperName (or `Folder/DeveloperName`), case-insensitive; the first one without a name. */
export function loadDashboard(name: string | undefined, pkgDir: string = PACKAGE_DIR): DashboardDef {
  const all = listDashboards(pkgDir);
  if (all.length === 0) throw new ReportNotFoundError('the package has no dashboard');
  if (!name) return all[0];
  const wanted = name.toLowerCase();
  const found = all.find((d) => d.developerName.toLowerCase() === wanted || `${d.folder}/${d.developerName}`.toLowerCase() === wanted);
  if (!found) throw new ReportNotFoundError(`no dashboard named "${name}" (the package has ${all.map((d) => d.developerName).join(', ')})`);
  return found;
}

export function parseDashboard(folder: string, file: string): DashboardDef {
  const developerName = path.basename(file, '.dashboard-meta.xml');
  const where = `dashboard ${developerName}`;
  const { name, node } = rootOf(readXml(file));
  if (name !== 'Dashboard') throw new ReportMetadataError(`${where}: ${file} is not a Dashboard`);
  const grid = node.dashboardGridLayout as XmlNode | undefined;
  if (!grid) throw new ReportMetadataError(`${where}: only dashboards with a grid layout (dashboardGridLayout) can be shown`);
  const int = (v: XmlNode[string] | undefined, fallback: number) => {
    const n = num(v);
    return n !== undefined && Number.isInteger(n) ? n : fallback;
  };
  const components = asArray<XmlNode>(grid.dashboardGridComponents).map((gc, index): DashboardComponentDef => {
    const c = gc.dashboardComponent as XmlNode | undefined;
    if (!c) throw new ReportMetadataError(`${where}: grid component ${index + 1} has no dashboardComponent`);
    const report = text(c.report);
    if (!report) throw new ReportMetadataError(`${where}: component ${index + 1} (${text(c.header) ?? 'no header'}) names no report`);
    return {
      index,
      header: text(c.header),
      title: text(c.title),
      footer: text(c.footer),
      componentType: text(c.componentType) ?? 'Column',
      report,
      groupingColumns: asArray(c.groupingColumn).map((g) => text(g) ?? ''),
      chartSummaries: asArray<XmlNode>(c.chartSummary).map((s) => ({ column: text(s.column) ?? '', aggregate: text(s.aggregate) })),
      showValues: bool(c.showValues),
      showPercentage: bool(c.showPercentage),
      showTotal: bool(c.showTotal),
      maxValuesDisplayed: num(c.maxValuesDisplayed),
      sortBy: text(c.sortBy),
      legendPosition: text(c.legendPosition),
      useReportChart: bool(c.useReportChart),
      grid: {
        column: int(gc.columnIndex, 0),
        row: int(gc.rowIndex, 0),
        colSpan: Math.max(1, int(gc.colSpan, 4)),
        rowSpan: Math.max(1, int(gc.rowSpan, 8))
      }
    };
  });
  return {
    developerName,
    folder,
    title: text(node.title) ?? developerName,
    description: text(node.description) ?? '',
    runningAs: text(node.dashboardType) ?? 'SpecifiedUser',
    columns: Math.max(1, int(grid.numberOfColumns, 12)),
    rowHeight: Math.max(8, int(grid.rowHeight, 36)),
    components,
    file
  };
}

/** Every component's report name exists in the package (checked before the org is touched). */
export function checkDashboard(def: DashboardDef, pkgDir: string = PACKAGE_DIR): void {
  for (const c of def.components) {
    try {
      loadReport(c.report, pkgDir);
    } catch (e) {
      throw new ReportMetadataError(`dashboard ${def.developerName}: component "${c.header ?? c.index + 1}": ${(e as Error).message}`);
    }
  }
}

export interface DashboardResult {
  def: DashboardDef;
  /** One report result per component, in component order (components on the same report share it). */
  results: ReportResult[];
}

/** Runs each component's report once (as the connection's user: the viewing user, for a LoggedInUser dashboard). */
export async function runDashboard(conn: Connection, def: DashboardDef, opts: RunOptions = {}): Promise<DashboardResult> {
  checkDashboard(def, opts.pkgDir);
  const byReport = new Map<string, ReportResult>();
  const results: ReportResult[] = [];
  for (const c of def.components) {
    let r = byReport.get(c.report);
    if (!r) {
      r = await runReport(conn, c.report, opts);
      byReport.set(c.report, r);
    }
    results.push(r);
  }
  return { def, results };
}
