import type { FieldSchema } from '../schema';
import { malformedQuery } from '../errors';
import type { Scope } from './relationships';
import { ownValue } from '../ownValue';

/** SOQL date functions (UTC, as convertTimezone() is not supported) as SQLite expressions. */
export const DATE_FUNCTIONS: Record<string, (e: string) => string> = {
  CALENDAR_YEAR: (e) => `CAST(strftime('%Y', ${e}) AS INTEGER)`,
  CALENDAR_MONTH: (e) => `CAST(strftime('%m', ${e}) AS INTEGER)`,
  CALENDAR_QUARTER: (e) => `((CAST(strftime('%m', ${e}) AS INTEGER) + 2) / 3)`,
  FISCAL_YEAR: (e) => `CAST(strftime('%Y', ${e}) AS INTEGER)`,
  FISCAL_QUARTER: (e) => `((CAST(strftime('%m', ${e}) AS INTEGER) + 2) / 3)`,
  FISCAL_MONTH: (e) => `CAST(strftime('%m', ${e}) AS INTEGER)`,
  DAY_IN_MONTH: (e) => `CAST(strftime('%d', ${e}) AS INTEGER)`,
  DAY_IN_WEEK: (e) => `(CAST(strftime('%w', ${e}) AS INTEGER) + 1)`,
  DAY_IN_YEAR: (e) => `CAST(strftime('%j', ${e}) AS INTEGER)`,
  DAY_ONLY: (e) => `substr(${e}, 1, 10)`,
  HOUR_IN_DAY: (e) => `CAST(strftime('%H', ${e}) AS INTEGER)`,
  WEEK_IN_YEAR: (e) => `((CAST(strftime('%j', ${e}) AS INTEGER) + 6) / 7)`,
  WEEK_IN_MONTH: (e) => `((CAST(strftime('%d', ${e}) AS INTEGER) + 6) / 7)`
};
export const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

/** A function call of SELECT, WHERE, HAVING, GROUP BY or ORDER BY (aggregate or date function) as a SQL expression and the field type of its value. */
export function functionExpr(scope: Scope, fnName: string, parameters: unknown[], raw?: string): { expr: string; field?: FieldSchema } {
  const name = fnName.toUpperCase();
  const param = parameters[0];
  if (name === 'COUNT' && parameters.length === 0) return { expr: 'COUNT(*)' };
  if (typeof param !== 'string') {
    if (param && typeof param === 'object' && 'functionName' in param) {
      const inner = param as { functionName: string; parameters?: unknown[]; rawValue?: string };
      if (inner.functionName.toLowerCase() === 'converttimezone') {
        throw malformedQuery(`${raw ?? name}: convertTimezone() is not supported by the local org (date functions use UTC)`);
      }
      const innerExpr = functionExpr(scope, inner.functionName, inner.parameters ?? [], inner.rawValue);
      if (AGGREGATES.has(name)) return { expr: `${name === 'COUNT_DISTINCT' ? 'COUNT(DISTINCT' : name + '('} ${innerExpr.expr})` };
    }
    throw malformedQuery(`${raw ?? name}: unsupported function argument`);
  }
  const r = scope.resolve(param);
  const dateFunction = ownValue(DATE_FUNCTIONS, name);
  if (dateFunction) {
    if (r.field.type !== 'date' && r.field.type !== 'datetime') {
      throw malformedQuery(`${raw ?? name}: date function requires a date or datetime field`);
    }
    const f: FieldSchema = { ...r.field, type: name === 'DAY_ONLY' ? 'date' : 'int' };
    return { expr: dateFunction(r.expr), field: f };
  }
  switch (name) {
    case 'COUNT':
      return { expr: `COUNT(${r.expr})`, field: { ...r.field, type: 'int' } };
    case 'COUNT_DISTINCT':
      return { expr: `COUNT(DISTINCT ${r.expr})`, field: { ...r.field, type: 'int' } };
    case 'SUM':
    case 'AVG':
      if (!['double', 'currency', 'percent', 'int'].includes(r.field.type)) {
        throw malformedQuery(`${raw ?? name}: field ${r.field.name} does not support aggregate operator ${name}`);
      }
      return { expr: `${name}(${r.expr})`, field: { ...r.field, type: 'double' } };
    case 'MIN':
    case 'MAX':
      return { expr: `${name}(${r.expr})`, field: r.field };
    default:
      throw malformedQuery(`${raw ?? name}: function ${fnName} is not supported by the local org`);
  }
}
