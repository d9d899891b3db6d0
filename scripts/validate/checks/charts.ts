import { childNamed, childrenNamed, childText, type XmlElement } from '../../metadata/xml';
import type { CheckContext } from '../types';

/**
 * What report charts and dashboard components may draw, beyond the enumeration values the schema
 * check already holds them to: the groupings a chart type needs, how many measures it carries,
 * groupings listed in the order of the report, and summaries the report actually computes.
 *
 * The evidence, since the Metadata API reference states none of these as rules:
 * - Every retrieved grouped or stacked chart names its second grouping, in the order the report
 *   groups, and carries a single measure: SalesforceLabs/PartnerAdoptionApp
 *   src/reports/Partner_Tiering_Reports/Partner_Account_Total_Points_This_FY.report
 *   (VerticalColumnGrouped: groupingColumn Account$Name, secondaryGroupingColumn the second
 *   groupingsDown), Partner_Management_Points_by_Type.report (VerticalColumnStacked),
 *   Partner_Account_Points_By_Category.report (HorizontalBarStacked).
 * - Its dashboards list a component's groupingColumn values in the report's order, and may skip
 *   one: src/dashboards/Partner_Tiering_Dashboards/mFnxFsMBGBSNmqHULPTGqnsaRTGpHB.dashboard
 *   (ColumnStacked on Activity_Date__c then Partner_Activity_Type__c of a report grouped by
 *   Activity_Date__c, Activity_Category__c, Partner_Activity_Type__c).
 * - Several measures go on a chart with one grouping: the Report page of the Metadata API Developer
 *   Guide (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_report.htm,
 *   "Declarative Metadata Sample Definition") charts four chartSummaries on a VerticalColumn grouped
 *   by one column. Four is the most this check lets a bar, column or line chart carry.
 * - Median is a summary the API takes: ReportSummaryType (columns' aggregateTypes, chart summaries)
 *   and ReportAggrType in Salesforce's metadata WSDL (forcedotcom/wsdl resources/metadata.wsdl, the
 *   source of the @salesforce/types declarations the schema check reads) list it.
 */

/** A report grouping: its column (`Lead$LeadSource`), side and line. */
export interface ReportGroupingRef {
  field: string;
  side: 'down' | 'across';
  line: number;
}

/** The report's groupings in chart order: rows (groupingsDown) first, then columns (groupingsAcross). */
export function reportGroupings(root: XmlElement): ReportGroupingRef[] {
  const of = (side: 'down' | 'across', name: string) =>
    childrenNamed(root, name)
      .map((g) => childNamed(g, 'field'))
      .filter((f): f is XmlElement => f !== undefined && f.text !== '')
      .map((f) => ({ field: f.text, side, line: f.line }));
  return [...of('down', 'groupingsDown'), ...of('across', 'groupingsAcross')];
}

/** A chart type that draws one series per value of a second grouping (the enumerations spell it out). */
export function needsSecondGrouping(type: string): boolean {
  return /Grouped|Stacked/.test(type);
}

/** Report ChartType and DashboardComponentType values that draw a chart from groupings. */
const GROUPING_CHARTS =
  /^(HorizontalBar|VerticalColumn|Bar|Column|Line|Pie|Donut|Funnel|ColumnLine|Scatter|Bubble)(Grouped|Stacked|StackedTo100|Stacked100|Cumulative|GroupedCumulative|CumulativeGrouped|GroupedLine|StackedLine|Line)?$/;

/** The most measures (chart summaries) a chart type carries; undefined when this check does not judge it. */
export function maxMeasures(type: string): number | undefined {
  if (/^(Pie|Donut|Funnel|Gauge|Metric)$/.test(type)) return 1; // one value per slice, stage or figure
  if (/^(Scatter|Bubble)/.test(type) || !GROUPING_CHARTS.test(type)) return undefined;
  const combo = /Line$|^ColumnLine|^VerticalColumnLine/.test(type) && /Column/.test(type);
  if (needsSecondGrouping(type)) return combo ? 2 : 1; // the second grouping is the series; a combo adds its line
  return 4;
}

function list(values: string[]): string {
  return values.length ? values.join(', ') : 'none';
}

/**
 * A chart summary (`column` + optional `aggregate`) against the summaries the report computes:
 * RowCount and the report's own summary formulas as they are, a column with one of its
 * `aggregateTypes`. Returns the problem, or undefined.
 */
export function chartSummaryProblem(
  ctx: CheckContext,
  summary: XmlElement,
  reportRoot: XmlElement,
  own: Set<string>,
  reportName: string
): string | undefined {
  const column = childText(summary, 'column');
  const aggregate = childText(summary, 'aggregate');
  if (!column || own.has(column.toLowerCase())) return undefined;
  // a value outside ReportSummaryType is the schema check's finding, not this one's
  const valid = ctx.schema.type('ChartSummary')?.props.get('aggregate')?.values;
  if (aggregate && valid && !valid.includes(aggregate)) return undefined;
  const col = childrenNamed(reportRoot, 'columns').find((c) => childText(c, 'field').toLowerCase() === column.toLowerCase());
  if (!col) return undefined; // reported as a missing column elsewhere
  const types = childrenNamed(col, 'aggregateTypes').map((a) => a.text);
  if (types.length === 0) return `${column} is not summarised by ${reportName} (its column has no aggregateTypes)`;
  if (!aggregate) return `${column} needs an <aggregate>: ${reportName} summarises it as ${list(types)}`;
  if (!types.includes(aggregate))
    return `${aggregate} of ${column} is not a summary of ${reportName}, which summarises it as ${list(types)}`;
  return undefined;
}

/** A report's own chart: its type against its groupings and measures, in the report's grouping order. */
export function checkReportChart(ctx: CheckContext, file: string, root: XmlElement, own: Set<string>): void {
  const chart = childNamed(root, 'chart');
  const typeEl = chart ? childNamed(chart, 'chartType') : undefined;
  if (!chart || !typeEl || typeEl.text === 'None') return;
  const add = (line: number, cause: string) => ctx.findings.add(file, line, cause);
  const type = typeEl.text;
  const groupings = reportGroupings(root);
  const index = (f: string) => groupings.findIndex((g) => g.field.toLowerCase() === f.toLowerCase());
  const first = childNamed(chart, 'groupingColumn');
  const second = childNamed(chart, 'secondaryGroupingColumn');
  for (const g of [first, second]) {
    if (g && g.text && index(g.text) < 0) {
      add(g.line, `chart ${g.name} ${g.text} is not a grouping of this report (groupings: ${list(groupings.map((x) => x.field))})`);
    }
  }
  if (needsSecondGrouping(type) && !second) {
    add(
      typeEl.line,
      `chart type ${type} draws a series per value of a second grouping, but the chart has no secondaryGroupingColumn (add the report's next grouping, or use ${ungrouped(type)})`
    );
  } else if (!needsSecondGrouping(type) && second && GROUPING_CHARTS.test(type)) {
    add(second.line, `chart type ${type} draws one grouping; a secondaryGroupingColumn needs a Grouped or Stacked chart type`);
  }
  if (first && second && index(first.text) >= 0 && index(second.text) >= 0 && index(second.text) < index(first.text)) {
    add(
      second.line,
      `chart secondaryGroupingColumn ${second.text} comes before groupingColumn ${first.text} in the report's groupings (${list(groupings.map((x) => x.field))}): a chart groups in the report's order`
    );
  }
  const summaries = childrenNamed(chart, 'chartSummaries');
  const max = maxMeasures(type);
  // a grouped type without its second grouping is one finding (its type), not two
  if (max !== undefined && summaries.length > max && !(needsSecondGrouping(type) && !second)) {
    add(
      typeEl.line,
      `chart type ${type} carries at most ${max} measure${max === 1 ? '' : 's'}; this chart has ${summaries.length} chartSummaries`
    );
  }
  for (const s of summaries) {
    const problem = chartSummaryProblem(ctx, s, root, own, 'this report');
    if (problem) add(childNamed(s, 'aggregate')?.line ?? s.line, `chartSummaries: ${problem}`);
  }
}

/** The chart type without its second grouping: VerticalColumnGrouped → VerticalColumn, BarStacked100 → Bar. */
function ungrouped(type: string): string {
  return type.replace(/(Grouped|StackedTo100|Stacked100|Stacked)/, '');
}

/** Dashboard component types that draw nothing from groupings (tables, figures, pages, images). */
const NO_GROUPING_COMPONENTS = /^(Table|FlexTable|Metric|Gauge|Scontrol|VisualforcePage|Image|RichText|PulseMetric|LightningWebComponent)$/;

/**
 * A dashboard component against the report it shows: a grouped or stacked type has its two
 * groupings, the groupings come in the report's order, and its measures fit the type and are
 * summaries of the report.
 */
export function checkDashboardComponent(
  ctx: CheckContext,
  file: string,
  comp: XmlElement,
  reportRoot: XmlElement,
  reportName: string,
  own: Set<string>
): void {
  const add = (line: number, cause: string) => ctx.findings.add(file, line, cause);
  const typeEl = childNamed(comp, 'componentType');
  const type = typeEl?.text ?? '';
  const groupings = reportGroupings(reportRoot);
  const index = (f: string) => groupings.findIndex((g) => g.field.toLowerCase() === f.toLowerCase());
  const columns = childrenNamed(comp, 'groupingColumn');
  if (typeEl && GROUPING_CHARTS.test(type) && !NO_GROUPING_COMPONENTS.test(type)) {
    const wanted = needsSecondGrouping(type) ? 2 : 1;
    if (needsSecondGrouping(type) && columns.length < 2) {
      add(
        typeEl.line,
        `component type ${type} draws a series per value of a second grouping, but the component has ${columns.length} groupingColumn (add the report's next grouping, or use ${ungrouped(type)})`
      );
    } else if (columns.length > wanted) {
      add(
        columns[wanted].line,
        `component type ${type} draws ${wanted} grouping${wanted === 1 ? '' : 's'}; this component lists ${columns.length}`
      );
    }
  }
  let last = -1;
  let lastName = '';
  for (const g of columns) {
    const i = index(g.text);
    if (i < 0) continue; // not a grouping of the report: reported by checkDashboards
    if (i < last) {
      add(
        g.line,
        `groupingColumn ${g.text} comes after ${lastName} here, but report ${reportName} groups by it first (${list(groupings.map((x) => x.field))}): list a component's groupings in the report's order`
      );
    }
    if (i > last) {
      last = i;
      lastName = g.text;
    }
  }
  const summaries = childrenNamed(comp, 'chartSummary');
  const max = maxMeasures(type);
  if (typeEl && max !== undefined && summaries.length > max && !(needsSecondGrouping(type) && columns.length < 2)) {
    add(
      typeEl.line,
      `component type ${type} carries at most ${max} measure${max === 1 ? '' : 's'}; this component has ${summaries.length} chartSummary`
    );
  }
  for (const s of summaries) {
    const problem = chartSummaryProblem(ctx, s, reportRoot, own, `report ${reportName}`);
    if (problem) add(childNamed(s, 'aggregate')?.line ?? s.line, `chartSummary: ${problem}`);
  }
}
