import * as fs from 'node:fs';
import * as path from 'node:path';
import { distance } from 'fastest-levenshtein';
import { asArray, readXml, rootOf, text, type XmlNode, type XmlValue } from '../metadata/xml';
import { PACKAGE_DIR } from '../project';
import { ReportMetadataError, ReportNotFoundError } from './errors';

/**
 * The shipped report definitions, read from the package's source-format metadata
 * (reportTypes/*.reportType-meta.xml, reports/<Folder>/*.report-meta.xml). These files are the
 * single source of every figure the CLI prints: nothing about a report is repeated in code.
 */

export type SummaryType = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'Median' | 'Unique';
export const SUMMARY_TYPES: readonly SummaryType[] = ['Sum', 'Average', 'Maximum', 'Minimum', 'Median', 'Unique'];

export interface ReportTypeDef {
  name: string;
  label: string;
  baseObject: string;
  /** `table$field` of every column the report type exposes, lower case. */
  columns: Set<string>;
  file: string;
}

export interface ReportColumnDef {
  field: string;
  aggregates: SummaryType[];
}

export interface GroupingDef {
  field: string;
  sortOrder: 'Asc' | 'Desc';
  dateGranularity?: string;
}

export interface FilterItemDef {
  column: string;
  operator: string;
  value: string;
}

export interface CustomSummaryDef {
  developerName: string;
  label: string;
  formula: string;
  datatype: 'number' | 'percent' | 'currency';
  scale: number;
  description?: string;
}

export interface BucketValueDef {
  label: string;
  sourceValues: string[];
  ranges: Array<{ from?: number; to?: number }>;
}

export interface BucketDef {
  developerName: string;
  label: string;
  type: 'number' | 'picklist' | 'text';
  source: string;
  /** `z`: blank numbers count as zero; `n`: blank stays blank. */
  nullTreatment: 'z' | 'n';
  otherLabel?: string;
  values: BucketValueDef[];
}

export interface ChartDef {
  type: string;
  title?: string;
  groupingColumn: string;
  secondaryGroupingColumn?: string;
  summaries: Array<{ column: string; aggregate?: SummaryType }>;
}

export interface TimeFrameDef {
  column: string;
  interval: string;
  startDate?: string;
  endDate?: string;
}

export interface PercentileDef {
  p: number;
  column: string;
}

export type ReportFormat = 'Tabular' | 'Summary' | 'Matrix';

export interface ReportDef {
  developerName: string;
  folder: string;
  name: string;
  description: string;
  format: ReportFormat;
  reportType: string;
  columns: ReportColumnDef[];
  groupingsDown: GroupingDef[];
  groupingsAcross: GroupingDef[];
  filter: { booleanFilter?: string; items: FilterItemDef[] };
  timeFrame?: TimeFrameDef;
  aggregates: CustomSummaryDef[];
  buckets: BucketDef[];
  chart?: ChartDef;
  sortColumn?: string;
  sortOrder: 'Asc' | 'Desc';
  showDetails: boolean;
  rowLimit?: number;
  /**
   * Percentiles the CLI derives from the report's detail rows, declared in the report's description
   * as `P90(<column>)` (Salesforce reports have Median but no percentile summary).
   */
  percentiles: PercentileDef[];
  file: string;
}

const REPORT_ELEMENTS = new Set([
  'aggregates',
  'buckets',
  'chart',
  'columns',
  'currency',
  'description',
  'division',
  'filter',
  'folderName',
  'format',
  'formattingRules',
  'colorRanges',
  'groupingsAcross',
  'groupingsDown',
  'name',
  'params',
  'reportType',
  'rowLimit',
  'scope',
  'showCurrentDate',
  'showDetails',
  'showGrandTotal',
  'showSubTotals',
  'sortColumn',
  'sortOrder',
  'timeFrameFilter',
  'fullName'
]);

function reportsDir(pkgDir: string): string {
  return path.join(pkgDir, 'main', 'default', 'reports');
}

function reportTypesDir(pkgDir: string): string {
  return path.join(pkgDir, 'main', 'default', 'reportTypes');
}

/** Every shipped report file as `Folder/DeveloperName` → file. */
export function reportFiles(pkgDir: string = PACKAGE_DIR): Map<string, string> {
  const out = new Map<string, string>();
  const dir = reportsDir(pkgDir);
  if (!fs.existsSync(dir)) return out;
  for (const folder of fs.readdirSync(dir).sort()) {
    const fdir = path.join(dir, folder);
    if (!fs.statSync(fdir).isDirectory()) continue;
    for (const f of fs.readdirSync(fdir).sort()) {
      if (f.endsWith('.report-meta.xml')) out.set(`${folder}/${f.replace(/\.report-meta\.xml$/, '')}`, path.join(fdir, f));
    }
  }
  return out;
}

/** All shipped reports, parsed (in folder/name order). */
export function listReports(pkgDir: string = PACKAGE_DIR): ReportDef[] {
  return [...reportFiles(pkgDir).entries()].map(([full, file]) => parseReport(full, file));
}

/**
 * The report named `name` (its DeveloperName, or `Folder/DeveloperName`, case-insensitive).
 * Unknown names throw ReportNotFoundError with the closest shipped names.
 */
export function loadReport(name: string, pkgDir: string = PACKAGE_DIR): ReportDef {
  const files = reportFiles(pkgDir);
  const wanted = name.trim().toLowerCase();
  for (const [full, file] of files) {
    const dev = full.slice(full.indexOf('/') + 1);
    if (full.toLowerCase() === wanted || dev.toLowerCase() === wanted) return parseReport(full, file);
  }
  const names = [...files.keys()].map((f) => f.slice(f.indexOf('/') + 1));
  const close = names
    .map((n) => ({ n, d: distance(n.toLowerCase(), wanted) }))
    .filter((x) => x.d <= Math.max(3, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.n);
  const hint = close.length > 0 ? ` (did you mean ${close.slice(0, 2).join(' or ')}?)` : '; run npx closed-loop report --list';
  throw new ReportNotFoundError(`no report named "${name}"${hint}`);
}

/** The custom report type `name` (with or without the `__c` that reports append). */
export function loadReportType(name: string, pkgDir: string = PACKAGE_DIR): ReportTypeDef {
  const base = name.replace(/__c$/, '');
  const file = path.join(reportTypesDir(pkgDir), `${base}.reportType-meta.xml`);
  if (!/__c$/.test(name)) {
    throw new ReportMetadataError(
      `report type ${name} is a standard report type; the runner computes reports on the package's custom report types only`
    );
  }
  if (!fs.existsSync(file)) throw new ReportMetadataError(`report type ${name} is not in the package (no ${path.basename(file)})`);
  const { node } = rootOf(readXml(file));
  if (node.join !== undefined) {
    throw new ReportMetadataError(`report type ${base} joins related objects, which the report runner does not support`);
  }
  const baseObject = text(node.baseObject) ?? '';
  const columns = new Set<string>();
  for (const section of asArray<XmlNode>(node.sections)) {
    for (const col of asArray<XmlNode>(section.columns)) {
      columns.add(`${text(col.table) ?? ''}$${text(col.field) ?? ''}`.toLowerCase());
    }
  }
  return { name: base, label: text(node.label) ?? base, baseObject, columns, file };
}

export function parseReport(fullName: string, file: string): ReportDef {
  const dev = fullName.slice(fullName.indexOf('/') + 1);
  const where = `report ${dev}`;
  const { name: rootName, node } = rootOf(readXml(file));
  if (rootName !== 'Report') throw new ReportMetadataError(`${where}: ${file} is not a Report`);
  for (const key of Object.keys(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    if (!REPORT_ELEMENTS.has(key)) throw new ReportMetadataError(`${where}: <${key}> is not supported by the report runner`);
  }
  const fail = (why: string): never => {
    throw new ReportMetadataError(`${where}: ${why}`);
  };
  const rawFormat = text(node.format) ?? 'Tabular';
  if (rawFormat !== 'Tabular' && rawFormat !== 'Summary' && rawFormat !== 'Matrix')
    fail(`format ${rawFormat} is not supported by the report runner`);
  const format = rawFormat as ReportFormat;
  const scope = text(node.scope);
  if (scope && scope !== 'organization') fail(`scope ${scope} is not supported by the report runner (only organization)`);

  const columns: ReportColumnDef[] = asArray<XmlNode>(node.columns).map((c) => {
    const aggregates = asArray<XmlValue>(c.aggregateTypes).map((a) => text(a) ?? '');
    for (const a of aggregates) if (!SUMMARY_TYPES.includes(a as SummaryType)) fail(`summary type ${a} is not supported`);
    return { field: text(c.field) ?? '', aggregates: aggregates as SummaryType[] };
  });
  const grouping = (g: XmlNode): GroupingDef => {
    const order = text(g.sortOrder) ?? 'Asc';
    if (text(g.sortType) || text(g.sortByName) || text(g.aggregateType))
      fail(`grouping ${text(g.field)} sorts by a summary, which is not supported`);
    return { field: text(g.field) ?? '', sortOrder: order === 'Desc' ? 'Desc' : 'Asc', dateGranularity: text(g.dateGranularity) };
  };
  const groupingsDown = asArray<XmlNode>(node.groupingsDown).map(grouping);
  const groupingsAcross = asArray<XmlNode>(node.groupingsAcross).map(grouping);
  if (format === 'Tabular' && (groupingsDown.length > 0 || groupingsAcross.length > 0)) fail('a tabular report cannot have groupings');
  if (format === 'Summary' && groupingsAcross.length > 0) fail('a summary report cannot have groupingsAcross');

  const filterNode = node.filter as XmlNode | undefined;
  const items: FilterItemDef[] = asArray<XmlNode>(filterNode?.criteriaItems).map((i) => {
    if (text(i.columnToColumn) === 'true') fail(`filter on ${text(i.column)} compares two columns, which is not supported`);
    if (text(i.snapshot)) fail(`filter on ${text(i.column)} uses a historical snapshot, which is not supported`);
    return { column: text(i.column) ?? '', operator: text(i.operator) ?? '', value: text(i.value) ?? '' };
  });
  const tf = node.timeFrameFilter as XmlNode | undefined;
  const timeFrame: TimeFrameDef | undefined = tf
    ? { column: text(tf.dateColumn) ?? '', interval: text(tf.interval) ?? '', startDate: text(tf.startDate), endDate: text(tf.endDate) }
    : undefined;

  const aggregates: CustomSummaryDef[] = asArray<XmlNode>(node.aggregates).map((a) => {
    const dn = text(a.developerName) ?? '';
    if (text(a.isCrossBlock) === 'true') fail(`summary formula ${dn} is cross-block, which needs a joined report`);
    if (text(a.downGroupingContext) || text(a.acrossGroupingContext)) {
      fail(`summary formula ${dn} is shown at one grouping level only, which is not supported (show it at all levels)`);
    }
    const datatype = text(a.datatype) ?? 'number';
    if (datatype !== 'number' && datatype !== 'percent' && datatype !== 'currency') fail(`summary formula ${dn} has datatype ${datatype}`);
    return {
      developerName: dn,
      label: text(a.masterLabel) ?? dn,
      formula: text(a.calculatedFormula) ?? '',
      datatype: datatype as CustomSummaryDef['datatype'],
      scale: Number(text(a.scale) ?? 2),
      description: text(a.description)
    };
  });
  for (const a of asArray<XmlNode>(node.aggregates))
    if (text(a.isActive) === 'false') fail(`summary formula ${text(a.developerName)} is inactive`);

  const buckets: BucketDef[] = asArray<XmlNode>(node.buckets).map((b) => {
    const type = text(b.bucketType) ?? '';
    const dn = text(b.developerName) ?? '';
    if (type !== 'number' && type !== 'picklist' && type !== 'text') fail(`bucket ${dn} has type ${type}`);
    const other = text(b.useOther) === 'true' ? (text(b.otherBucketLabel) ?? 'Other') : undefined;
    return {
      developerName: dn,
      label: text(b.masterLabel) ?? dn,
      type: type as BucketDef['type'],
      source: text(b.sourceColumnName) ?? '',
      nullTreatment: text(b.nullTreatment) === 'z' ? 'z' : 'n',
      otherLabel: other,
      values: asArray<XmlNode>(b.values).map((v) => {
        const sources = asArray<XmlNode>(v.sourceValues);
        return {
          label: text(v.value) ?? '',
          sourceValues: sources.map((s) => text(s.sourceValue)).filter((s): s is string => s !== undefined),
          ranges: sources
            .filter((s) => text(s.from) !== undefined || text(s.to) !== undefined)
            .map((s) => ({ from: numOrUndefined(text(s.from)), to: numOrUndefined(text(s.to)) }))
        };
      })
    };
  });

  const chartNode = node.chart as XmlNode | undefined;
  const chart: ChartDef | undefined = chartNode
    ? {
        type: text(chartNode.chartType) ?? 'None',
        title: text(chartNode.title),
        groupingColumn: text(chartNode.groupingColumn) ?? '',
        secondaryGroupingColumn: text(chartNode.secondaryGroupingColumn),
        summaries: asArray<XmlNode>(chartNode.chartSummaries).map((s) => ({
          column: text(s.column) ?? '',
          aggregate: text(s.aggregate) as SummaryType | undefined
        }))
      }
    : undefined;

  const description = text(node.description) ?? '';
  const percentiles: PercentileDef[] = [...description.matchAll(/\bP(\d{1,2})\(([\w.$]+)\)/g)].map((m) => ({
    p: Number(m[1]),
    column: m[2]
  }));
  const rowLimit = numOrUndefined(text(node.rowLimit));
  return {
    developerName: dev,
    folder: fullName.slice(0, fullName.indexOf('/')),
    name: text(node.name) ?? dev,
    description,
    format,
    reportType: text(node.reportType) ?? '',
    columns,
    groupingsDown,
    groupingsAcross,
    filter: { booleanFilter: text(filterNode?.booleanFilter), items },
    timeFrame,
    aggregates,
    buckets,
    chart,
    sortColumn: text(node.sortColumn),
    sortOrder: text(node.sortOrder) === 'Desc' ? 'Desc' : 'Asc',
    showDetails: text(node.showDetails) !== 'false',
    rowLimit,
    percentiles,
    file
  };
}

function numOrUndefined(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
