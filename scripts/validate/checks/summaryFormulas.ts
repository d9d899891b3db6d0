import { childNamed, childrenNamed, childText, type XmlElement } from '../../metadata/xml';
import { didYouMean } from '../model';
import type { CheckContext } from '../types';
import { reportGroupings, type ReportGroupingRef } from './charts';
import type { ReportTypeModel } from './reportTypeModel';

/**
 * Custom summary formulas (Report `aggregates`) on a custom report type, in the form the platform
 * writes them. The Report page of the Metadata API Developer Guide
 * (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_report.htm,
 * "Declarative Metadata Sample Definition", a matrix report on report type CRT1__c) and retrieved
 * reports show it:
 * - a summary names a column by its object's API name and the field path from there, `:` and the
 *   function: `CRT_Object__c.Number__c:MAX`; through a lookup `Volunteer_Hours__c.Contact__c.Unique_Volunteer_Count__c:SUM`
 *   for the column `Volunteer_Job__c.Volunteer_Hours__r$Contact__c.Unique_Volunteer_Count__c`
 *   (SalesforceFoundation/Volunteers-for-Salesforce src/reports/Volunteer_Reports/Unique_Volunteers2.report),
 *   and a joined object by its own name, never the report type's table path:
 *   `Partner_Activity__c.Points_Awarded__c:SUM` for `Account.Partner_Activities__r$Points_Awarded__c`
 *   (SalesforceLabs/PartnerAdoptionApp src/reports/Partner_Tiering_Reports/Partner_Account_Points_By_Category.report);
 * - a grouping level is the grouping's column in that dotted form, and a lookup grouping is named
 *   by the record's name: the grouping `CRT_Object__c$CreatedBy` is `CRT_Object__c.CreatedBy.Name`
 *   in `PARENTGROUPVAL(CRT_Object__c.Number__c:MAX, CRT_Object__c.CreatedBy.Name, COLUMN_GRAND_SUMMARY)`;
 * - in a Matrix report PARENTGROUPVAL takes a row level then a column level (`ROW_GRAND_SUMMARY`,
 *   `COLUMN_GRAND_SUMMARY` for the totals); in a Summary report one level;
 * - `downGroupingContext` / `acrossGroupingContext` name a row / column grouping as a column
 *   (`CRT_Object__c$CreatedBy`), or GRAND_SUMMARY.
 */

const NUMERIC = new Set(['double', 'currency', 'percent', 'int']);
const SUMMARY_FUNCTIONS = new Set(['SUM', 'AVG', 'MAX', 'MIN', 'UNIQUE']);
const GRAND = new Set(['GRAND_SUMMARY', 'ROW_GRAND_SUMMARY', 'COLUMN_GRAND_SUMMARY']);

/** A `Object.Path` written in a formula → the report type column it names, or why not. */
function formulaColumn(rt: ReportTypeModel, dotted: string): { column?: string; problem?: string } {
  const dot = dotted.indexOf('.');
  if (dot < 0) return { problem: `${dotted} names no field (write Object.Field, e.g. ${rt.baseObject}.Name)` };
  // written with a joined table's path (Lead.Lead_Quality_Feedback__r.Rating__c) instead of the object's name
  for (const t of rt.tables.values()) {
    if (t.table.includes('.') && dotted.toLowerCase().startsWith(`${t.table.toLowerCase()}.`)) {
      const field = dotted.slice(t.table.length + 1);
      return {
        problem: `a summary formula names a column by its object's API name: write ${t.object}.${field}, not the table path ${t.table}`
      };
    }
  }
  const object = dotted.slice(0, dot);
  const rest = dotted.slice(dot + 1);
  const tables = [...rt.tables.values()].filter((t) => t.object.toLowerCase() === object.toLowerCase());
  for (const t of tables) {
    const key = `${t.table}$${rest}`.toLowerCase();
    if (rt.columns.has(key)) return { column: `${t.table}$${rest}` };
  }
  if (tables.length > 0) {
    const fields = [...rt.columns.values()].filter((c) => tables.some((t) => t.table === c.table)).map((c) => c.field);
    return { problem: `report type ${rt.name} has no column ${tables[0].table}$${rest}${didYouMean(rest, fields)}` };
  }
  return {
    problem: `${object} is not an object of report type ${rt.name} (objects: ${[...new Set([...rt.tables.values()].map((t) => t.object))].join(', ')})`
  };
}

/** How a formula names a grouping: its column in dotted form, a lookup by its record name (`.Name`). */
function groupingLevel(rt: ReportTypeModel, g: ReportGroupingRef): string {
  const [table, path] = [g.field.slice(0, g.field.indexOf('$')), g.field.slice(g.field.indexOf('$') + 1)];
  const t = rt.tables.get(table.toLowerCase());
  if (!t || !path) return g.field; // a bucket or a row-level formula: its developer name
  const info = rt.columns.get(g.field.toLowerCase())?.info;
  return `${t.object}.${path}${info?.type === 'reference' ? '.Name' : ''}`;
}

/** The arguments of every call to `fn` in a formula, split at top-level commas. */
function calls(formula: string, fn: string): string[][] {
  const out: string[][] = [];
  const re = new RegExp(`\\b${fn}\\s*\\(`, 'gi');
  for (let m = re.exec(formula); m; m = re.exec(formula)) {
    const args: string[] = [];
    let depth = 0;
    let start = m.index + m[0].length;
    for (let i = start; i < formula.length; i++) {
      const c = formula[i];
      if (c === '(') depth++;
      else if (c === ')' && depth > 0) depth--;
      else if ((c === ',' || c === ')') && depth === 0) {
        args.push(formula.slice(start, i).trim());
        start = i + 1;
        if (c === ')') break;
      }
    }
    out.push(args);
  }
  return out;
}

/**
 * Every custom summary formula of a report on a custom report type: its summaries name columns of
 * the report type in the platform's form (SUM and AVG of numbers), its grouping levels name
 * groupings of the report in the platform's form, in the places the report's format takes them.
 */
export function checkSummaryFormulas(ctx: CheckContext, file: string, root: XmlElement, rt: ReportTypeModel): void {
  const add = (line: number, cause: string) => ctx.findings.add(file, line, cause);
  const groupings = reportGroupings(root);
  const matrix = childText(root, 'format') === 'Matrix';
  const levels = new Map(groupings.map((g) => [groupingLevel(rt, g).toLowerCase(), g]));
  const aggregates = childrenNamed(root, 'aggregates');
  const own = new Set(aggregates.map((a) => childText(a, 'developerName').toLowerCase()));

  for (const agg of aggregates) {
    const formula = childNamed(agg, 'calculatedFormula');
    if (formula) {
      const where = `calculatedFormula`;
      for (const m of formula.text.matchAll(/([A-Za-z][\w.]*):([A-Za-z]+)\b/g)) {
        const [token, dotted, fn] = m;
        if (!SUMMARY_FUNCTIONS.has(fn.toUpperCase())) continue;
        const { column, problem } = formulaColumn(rt, dotted);
        if (problem) {
          add(formula.line, `${where} ${token}: ${problem}`);
          continue;
        }
        const info = rt.columns.get(column!.toLowerCase())?.info;
        const upper = fn.toUpperCase();
        if (info && (upper === 'SUM' || upper === 'AVG') && !NUMERIC.has(info.type)) {
          add(formula.line, `${where} ${token}: ${upper} needs a number; ${info.object}.${info.name} is ${info.type}`);
        }
      }
      checkLevels(formula, matrix, levels, groupings, rt, add);
    }
    for (const [name, side] of [
      ['downGroupingContext', 'down'],
      ['acrossGroupingContext', 'across']
    ] as const) {
      const el = childNamed(agg, name);
      if (!el || el.text === 'GRAND_SUMMARY') continue;
      const g = groupings.find((x) => x.field.toLowerCase() === el.text.toLowerCase());
      if (!g || g.side !== side) {
        const names = groupings.filter((x) => x.side === side).map((x) => x.field);
        add(
          el.line,
          `${name} ${el.text} is not a ${side === 'down' ? 'row' : 'column'} grouping of this report (${[...names, 'GRAND_SUMMARY'].join(', ')})`
        );
      }
    }
  }
  // a grouping sorted by a summary formula names one of the report's formulas
  for (const g of [...childrenNamed(root, 'groupingsDown'), ...childrenNamed(root, 'groupingsAcross')]) {
    const by = childNamed(g, 'sortByName');
    if (childText(g, 'sortType') === 'CustomSummaryFormula' && by && !own.has(by.text.toLowerCase())) {
      add(
        by.line,
        `sortByName ${by.text} is not a summary formula of this report${didYouMean(
          by.text,
          aggregates.map((a) => childText(a, 'developerName'))
        )}`
      );
    }
  }
}

function checkLevels(
  formula: XmlElement,
  matrix: boolean,
  levels: Map<string, ReportGroupingRef>,
  groupings: ReportGroupingRef[],
  rt: ReportTypeModel,
  add: (line: number, cause: string) => void
): void {
  const written = groupings.map((g) => groupingLevel(rt, g));
  const level = (fn: string, arg: string, want?: 'down' | 'across'): void => {
    const upper = arg.toUpperCase();
    if (GRAND.has(upper)) {
      if (want === 'down' && upper === 'COLUMN_GRAND_SUMMARY')
        add(formula.line, `${fn} level ${arg}: a Matrix report's row level is a row grouping or ROW_GRAND_SUMMARY`);
      if (want === 'across' && upper === 'ROW_GRAND_SUMMARY')
        add(formula.line, `${fn} level ${arg}: a Matrix report's column level is a column grouping or COLUMN_GRAND_SUMMARY`);
      return;
    }
    const g = levels.get(arg.toLowerCase());
    if (g) {
      if (want && g.side !== want) {
        add(
          formula.line,
          `${fn} level ${arg} is a ${g.side === 'down' ? 'row' : 'column'} grouping, in the ${want === 'down' ? 'row' : 'column'} level's place`
        );
      }
      return;
    }
    const lookup = groupings.find((x) => groupingLevel(rt, x).toLowerCase() === `${arg}.name`.toLowerCase());
    if (lookup) {
      add(
        formula.line,
        `${fn} level ${arg}: the grouping ${lookup.field} is a lookup, which a summary formula names by its record name: ${arg}.Name`
      );
      return;
    }
    add(
      formula.line,
      `${fn} level ${arg} is not a grouping of this report${didYouMean(arg, written)} (groupings: ${[...written, ...GRAND].join(', ')})`
    );
  };
  for (const args of calls(formula.text, 'PARENTGROUPVAL')) {
    const lv = args.slice(1);
    if (matrix && lv.length !== 2) {
      add(
        formula.line,
        `PARENTGROUPVAL in a Matrix report takes a row level and a column level (ROW_GRAND_SUMMARY / COLUMN_GRAND_SUMMARY for the totals), not ${lv.length}`
      );
    } else if (!matrix && lv.length !== 1) {
      add(formula.line, `PARENTGROUPVAL in a Summary report takes one grouping level, not ${lv.length}`);
    }
    lv.forEach((arg, i) => level('PARENTGROUPVAL', arg, matrix && lv.length === 2 ? (i === 0 ? 'down' : 'across') : undefined));
  }
  for (const args of calls(formula.text, 'PREVGROUPVAL')) if (args[1]) level('PREVGROUPVAL', args[1]);
}
