import { childNamed, childrenNamed, childText, type XmlElement } from '../../metadata/xml';
import { didYouMean, type ProjectModel } from '../model';
import type { CheckContext } from '../types';
import { checkDashboardComponent, checkReportChart } from './charts';
import { splitOnce } from './fields';
import type { ReportTypeModel } from './reportTypeModel';
import { checkSummaryFormulas } from './summaryFormulas';

/** Reads every report type of the project, adding findings for what does not resolve. */
export function reportTypes(ctx: CheckContext, report = false): Map<string, ReportTypeModel> {
  const { model } = ctx;
  const add = (file: string, line: number, cause: string) => report && ctx.findings.add(file, line, cause);
  const out = new Map<string, ReportTypeModel>();
  for (const c of model.byType('ReportType')) {
    const root = c.xml ? model.doc(c.xml) : undefined;
    if (!root || !c.xml) continue;
    const file = c.xml;
    const baseEl = childNamed(root, 'baseObject');
    const rt: ReportTypeModel = { name: c.fullName, file, baseObject: baseEl?.text ?? '', tables: new Map(), columns: new Map() };
    out.set(c.fullName.toLowerCase(), rt);
    const base = baseEl ? model.object(baseEl.text) : undefined;
    if (!baseEl) continue;
    if (!base) {
      add(file, baseEl.line, `baseObject: ${model.unknownObject(baseEl.text)}`);
      continue;
    }
    rt.tables.set(base.name.toLowerCase(), { table: base.name, object: base.name });
    // the join chain: each relationship is a child relationship of the object before it
    let join = childNamed(root, 'join');
    let table = base.name;
    let object = base;
    let outer = false;
    let count = 1;
    while (join) {
      const relEl = childNamed(join, 'relationship');
      const isOuter = childText(join, 'outerJoin') === 'true';
      if (outer && !isOuter) add(file, join.line, `an inner join cannot follow an outer join`);
      outer = outer || isOuter;
      if (++count > 4) add(file, join.line, `a report type joins at most 4 objects`);
      const rel = relEl ? object.childRelationships.get(relEl.text.toLowerCase()) : undefined;
      if (!relEl) break;
      if (!rel) {
        add(
          file,
          relEl.line,
          `join: ${object.name} has no child relationship ${relEl.text}${didYouMean(
            relEl.text,
            [...object.childRelationships.values()].map((r) => r.name)
          )}`
        );
        break;
      }
      table = `${table}.${rel.name}`;
      object = model.object(rel.object)!;
      rt.tables.set(table.toLowerCase(), { table, object: object.name });
      join = childNamed(join, 'join');
    }
    for (const section of childrenNamed(root, 'sections')) {
      for (const col of childrenNamed(section, 'columns')) {
        const tableEl = childNamed(col, 'table');
        const fieldEl = childNamed(col, 'field');
        if (!tableEl || !fieldEl) continue;
        const t = rt.tables.get(tableEl.text.toLowerCase());
        if (!t) {
          add(
            file,
            tableEl.line,
            `column table ${tableEl.text} is not ${[...rt.tables.values()].map((x) => x.table).join(' or ')}${didYouMean(
              tableEl.text,
              [...rt.tables.values()].map((x) => x.table)
            )}`
          );
          continue;
        }
        const r = model.resolveField(t.object, fieldEl.text, { reportType: true });
        if (typeof r === 'string') add(file, fieldEl.line, `column ${tableEl.text}.${fieldEl.text}: ${r}`);
        const key = `${t.table}$${fieldEl.text}`.toLowerCase();
        if (rt.columns.has(key)) add(file, fieldEl.line, `column ${tableEl.text}.${fieldEl.text} appears twice`);
        rt.columns.set(key, { table: t.table, field: fieldEl.text, info: typeof r === 'string' ? undefined : r });
      }
    }
  }
  return out;
}

/** Report types: base object, join chain and every column resolve to real objects, relationships and fields. */
export function checkReportTypes(ctx: CheckContext): void {
  reportTypes(ctx, true);
}

/** Where a report names a column, and the elements that do. */
const COLUMN_ELEMENTS: Record<string, string[]> = {
  columns: ['field'],
  groupingsDown: ['field'],
  groupingsAcross: ['field'],
  criteriaItems: ['column'],
  timeFrameFilter: ['dateColumn'],
  chart: ['groupingColumn', 'secondaryGroupingColumn'],
  chartSummaries: ['column'],
  buckets: ['sourceColumnName'],
  crossFilters: ['primaryTableColumn'],
  colorRanges: ['columnName'],
  formattingRules: ['columnName'],
  Report: ['sortColumn']
};

const PICKLIST_OPERATORS = new Set(['equals', 'notEqual', 'includes', 'excludes']);

/** Columns a report defines itself (summary formulas, buckets, row-level formulas) and may use anywhere. */
export function ownColumns(root: XmlElement): Set<string> {
  const own = new Set(['rowcount']);
  for (const el of [
    ...childrenNamed(root, 'aggregates'),
    ...childrenNamed(root, 'buckets'),
    ...childrenNamed(root, 'customDetailFormulas')
  ]) {
    const n = childText(el, 'developerName');
    if (n) own.add(n.toLowerCase());
  }
  return own;
}

/**
 * Reports live in a folder the project ships and use a report type that exists; on a custom
 * report type every column, filter, grouping, chart and bucket names a column of that report type
 * (`table$field`), and picklist filters name values the field has. On a standard report type,
 * custom fields (`Object.Field__c`) must exist.
 */
export function checkReports(ctx: CheckContext): void {
  const { model, findings } = ctx;
  const types = reportTypes(ctx);
  const folders = model.byType('ReportFolder').map((f) => f.fullName);
  for (const c of model.byType('Report')) {
    const root = c.xml ? model.doc(c.xml) : undefined;
    if (!root || !c.xml) continue;
    const file = c.xml;
    const folder = c.fullName.includes('/') ? c.fullName.slice(0, c.fullName.lastIndexOf('/')) : '';
    if (folder && folder !== 'unfiled$public' && !folders.includes(folder)) {
      findings.add(file, root.line, `report folder ${folder} is not in the project (add ${folder}.reportFolder-meta.xml)`);
    }
    const typeEl = childNamed(root, 'reportType');
    if (!typeEl) continue;
    const custom = /^\w+__c$/.test(typeEl.text) ? types.get(typeEl.text.replace(/__c$/, '').toLowerCase()) : undefined;
    if (/^\w+__c$/.test(typeEl.text) && !custom) {
      findings.add(
        file,
        typeEl.line,
        `reportType ${typeEl.text}: no report type ${typeEl.text.replace(/__c$/, '')} in the project${didYouMean(
          typeEl.text.replace(/__c$/, ''),
          [...types.values()].map((t) => t.name)
        )}`
      );
      continue;
    }
    const own = ownColumns(root);
    for (const { el, owner } of columnRefs(root)) {
      const name = el.text;
      if (!name || own.has(name.toLowerCase())) continue;
      const problem = custom ? customColumnProblem(model, custom, name) : standardColumnProblem(model, name);
      if (problem) {
        findings.add(file, el.line, `${owner === 'Report' ? el.name : owner}: ${problem}`);
        continue;
      }
      if (owner === 'criteriaItems' && custom) checkPicklistFilter(ctx, file, el, custom);
    }
    if (custom) checkSummaryFormulas(ctx, file, root, custom);
    checkReportChart(ctx, file, root, own);
  }
}

function columnRefs(root: XmlElement): Array<{ el: XmlElement; owner: string }> {
  const out: Array<{ el: XmlElement; owner: string }> = [];
  const walk = (el: XmlElement) => {
    const names = COLUMN_ELEMENTS[el.name];
    for (const ch of el.children) {
      if (names?.includes(ch.name) && ch.children.length === 0) out.push({ el: ch, owner: el.name });
      else if (ch.name !== 'block' && el.name !== 'crossFilters') walk(ch); // cross filters name columns of another object
    }
  };
  walk(root);
  return out;
}

function customColumnProblem(model: ProjectModel, rt: ReportTypeModel, name: string): string | undefined {
  if (rt.columns.has(name.toLowerCase())) return undefined;
  const [table, field] = splitOnce(name, '$');
  const t = rt.tables.get(table.toLowerCase());
  if (!field) return `${name} is not a column of report type ${rt.name} (columns are written table$field)`;
  if (!t)
    return `${name}: report type ${rt.name} has no table ${table} (tables: ${[...rt.tables.values()].map((x) => x.table).join(', ')})`;
  const fields = [...rt.columns.values()].filter((c) => c.table === t.table).map((c) => c.field);
  const exists = model.resolveField(t.object, field, { reportType: true });
  return typeof exists === 'string'
    ? `${name}: ${exists}`
    : `${name}: report type ${rt.name} does not expose ${t.table}.${field}${didYouMean(field, fields)}`;
}

/** On standard report types only custom field tokens (`Object.Field__c`) can be checked offline. */
function standardColumnProblem(model: ProjectModel, name: string): string | undefined {
  const m = /^(\w+)\.(\w+__c)$/.exec(name);
  if (!m) return undefined;
  const obj = model.object(m[1]);
  if (!obj) return undefined; // upper-case platform tokens such as LEAD.STATUS, or objects outside the description
  return obj.fields.has(m[2].toLowerCase()) ? undefined : model.unknownField(obj, m[2]);
}

function checkPicklistFilter(ctx: CheckContext, file: string, columnEl: XmlElement, rt: ReportTypeModel): void {
  // the criteria item is the column's parent: find its operator and value among the siblings
  const root = ctx.model.doc(file);
  const item = root ? findParent(root, columnEl) : undefined;
  if (!item || !PICKLIST_OPERATORS.has(childText(item, 'operator'))) return;
  const info = rt.columns.get(columnEl.text.toLowerCase())?.info;
  const valueEl = childNamed(item, 'value');
  if (!info?.picklistValues || !valueEl?.text) return;
  for (const v of valueEl.text.split(',').map((s) => s.trim())) {
    if (v && !info.picklistValues.includes(v)) {
      ctx.findings.add(
        file,
        valueEl.line,
        `filter on ${columnEl.text}: ${info.object}.${info.name} has no picklist value "${v}"${didYouMean(v, info.picklistValues)}`
      );
    }
  }
}

function findParent(root: XmlElement, target: XmlElement): XmlElement | undefined {
  for (const ch of root.children) {
    if (ch === target) return root;
    const p = findParent(ch, target);
    if (p) return p;
  }
  return undefined;
}

/**
 * Dashboards live in a folder the project ships, run as the viewing user (a named running user
 * exists in one org only), and every component shows a report the project ships, grouped and
 * summarised by columns that report has.
 */
export function checkDashboards(ctx: CheckContext): void {
  const { model, findings } = ctx;
  const folders = model.byType('DashboardFolder').map((f) => f.fullName);
  const reports = new Map(model.byType('Report').map((r) => [r.fullName.toLowerCase(), r]));
  for (const c of model.byType('Dashboard')) {
    const root = c.xml ? model.doc(c.xml) : undefined;
    if (!root || !c.xml) continue;
    const file = c.xml;
    const folder = c.fullName.includes('/') ? c.fullName.slice(0, c.fullName.lastIndexOf('/')) : '';
    if (folder && !folders.includes(folder)) {
      findings.add(file, root.line, `dashboard folder ${folder} is not in the project (add ${folder}.dashboardFolder-meta.xml)`);
    }
    const runningUser = childNamed(root, 'runningUser');
    if (runningUser) {
      findings.add(
        file,
        runningUser.line,
        `runningUser names a user of one org; a shipped dashboard should use dashboardType LoggedInUser`
      );
    }
    const components: XmlElement[] = [];
    const walk = (el: XmlElement) => {
      for (const ch of el.children) {
        if (childNamed(ch, 'report') && (ch.name === 'dashboardComponent' || ch.name === 'components')) components.push(ch);
        walk(ch);
      }
    };
    walk(root);
    for (const comp of components) {
      const reportEl = childNamed(comp, 'report')!;
      const report = reports.get(reportEl.text.toLowerCase());
      if (!report) {
        findings.add(
          file,
          reportEl.line,
          `component report ${reportEl.text} is not a report of the project${didYouMean(
            reportEl.text,
            [...reports.values()].map((r) => r.fullName)
          )}`
        );
        continue;
      }
      const rroot = report.xml ? model.doc(report.xml) : undefined;
      if (!rroot) continue;
      const groupings = new Map(
        [...childrenNamed(rroot, 'groupingsDown'), ...childrenNamed(rroot, 'groupingsAcross')].map((g) => [
          childText(g, 'field').toLowerCase(),
          childText(g, 'field')
        ])
      );
      for (const g of childrenNamed(comp, 'groupingColumn')) {
        if (!groupings.has(g.text.toLowerCase())) {
          findings.add(
            file,
            g.line,
            `groupingColumn ${g.text} is not a grouping of report ${report.fullName}${didYouMean(g.text, groupings.values())}`
          );
        }
      }
      const summarisable = new Set([
        ...ownColumns(rroot),
        ...childrenNamed(rroot, 'columns').map((col) => childText(col, 'field').toLowerCase())
      ]);
      for (const s of childrenNamed(comp, 'chartSummary')) {
        const col = childNamed(s, 'column');
        if (col && !summarisable.has(col.text.toLowerCase())) {
          findings.add(file, col.line, `chartSummary column ${col.text} is not a column of report ${report.fullName}`);
        }
      }
      checkDashboardComponent(ctx, file, comp, rroot, report.fullName, ownColumns(rroot));
    }
  }
}
