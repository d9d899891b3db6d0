import { displayValue } from '../records/displayValue';
import type { FieldSchema } from '../schema';
import { cursorOf } from './cursors';
import { ConnectionPlan, GraphqlEnv, NodePlan, OutputPlan, VALUE_TYPES } from './plan';

/**
 * Runs a validated plan: each connection's SOQL through the org's SOQL engine (one page, and a count
 * only when totalCount is asked for), serialized in the shape and key order the query asked for.
 */

export function execute(p: OutputPlan, env: GraphqlEnv): unknown {
  switch (p.kind) {
    case 'typename':
      return p.value;
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const item of p.items) out[item.key] = execute(item, env);
      return out;
    }
    case 'connection':
      return connection(p.plan, env);
  }
}

function connection(plan: ConnectionPlan, env: GraphqlEnv): Record<string, unknown> {
  const compiled = env.queries.compile(plan.soql, { ...env, includeDeleted: false });
  const records =
    plan.first > 0 || plan.items.some((i) => i.kind === 'pageInfo') ? env.queries.window(compiled, plan.offset, plan.first + 1) : [];
  const hasNext = records.length > plan.first;
  const page = records.slice(0, plan.first);
  let total: number | undefined;
  const out: Record<string, unknown> = {};
  for (const item of plan.items) {
    switch (item.kind) {
      case 'typename':
        out[item.key] = `${plan.obj.name}Connection`;
        break;
      case 'totalCount':
        out[item.key] = total ??= env.queries.count(compiled);
        break;
      case 'pageResultCount':
        out[item.key] = page.length;
        break;
      case 'edges':
        out[item.key] = page.map((rec, i) => {
          const edge: Record<string, unknown> = {};
          for (const e of item.items) {
            if (e.kind === 'cursor') edge[e.key] = cursorOf(plan.offset + i);
            else if (e.kind === 'typename') edge[e.key] = `${plan.obj.name}Edge`;
            else if (e.kind === 'node') edge[e.key] = nodeValue(e.plan, rec, env);
          }
          return edge;
        });
        break;
      case 'pageInfo': {
        const info: Record<string, unknown> = {};
        for (const i of item.items) {
          if (i.kind === 'hasNextPage') info[i.key] = hasNext;
          else if (i.kind === 'hasPreviousPage') info[i.key] = plan.offset > 0;
          else if (i.kind === 'startCursor') info[i.key] = page.length ? cursorOf(plan.offset) : null;
          else if (i.kind === 'endCursor') info[i.key] = page.length ? cursorOf(plan.offset + page.length - 1) : null;
          else info[i.key] = 'PageInfo';
        }
        out[item.key] = info;
        break;
      }
    }
  }
  return out;
}

function nodeValue(plan: NodePlan, rec: Record<string, unknown>, env: GraphqlEnv, typeName?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const type = typeName ?? plan.obj?.name ?? '';
  for (const item of plan.items) {
    switch (item.kind) {
      case 'Id':
        out[item.key] = rec.Id ?? null;
        break;
      case 'typename':
        out[item.key] = type;
        break;
      case 'ApiName':
        out[item.key] = type;
        break;
      case 'DisplayValue':
        out[item.key] = plan.obj?.nameField ? (rec[plan.obj.nameField.name] ?? null) : null;
        break;
      case 'field': {
        const raw = rec[item.field.name];
        const v: Record<string, unknown> = {};
        for (const s of item.sub) {
          if (s.kind === 'value') v[s.key] = graphqlValue(item.field, raw);
          else if (s.kind === 'displayValue') v[s.key] = displayValue(item.field, raw, env.tz);
          else v[s.key] = VALUE_TYPES[item.field.type] ?? 'StringValue';
        }
        out[item.key] = v;
        break;
      }
      case 'parent': {
        const parent = rec[item.relationship] as Record<string, unknown> | null | undefined;
        if (!parent) {
          out[item.key] = null;
          break;
        }
        if (!item.polymorphic) {
          out[item.key] = nodeValue(item.common, parent, env);
          break;
        }
        const actual = String(parent.Type ?? '');
        const common = nodeValue(item.common, parent, env, actual);
        const specific = item.byType.get(actual);
        out[item.key] = specific ? { ...common, ...nodeValue(specific, parent, env) } : common;
        break;
      }
    }
  }
  return out;
}

/** A REST field value → the GraphQL `value` (DateTime as ISO 8601 with `Z`). */
function graphqlValue(field: FieldSchema, v: unknown): unknown {
  if (v === undefined) return null;
  if (field.type === 'datetime' && typeof v === 'string') return v.replace(/\+0000$/, 'Z');
  return v;
}
