import type { FieldNode, DocumentNode, SelectionSetNode } from 'graphql';
import { MAX_GRAPHQL_ANSWER_VALUES, MAX_GRAPHQL_SUBQUERIES } from '../bounds';
import { ApiError } from '../errors';
import type { ObjectSchema } from '../schema';
import { cursorIndex } from './cursors';
import { DocumentReader } from './document';
import { Aborted, Invalid } from './errors';
import { filterSoql, orderTerms } from './filters';
import {
  ConnectionItem,
  ConnectionPlan,
  DEFAULT_FIRST,
  GraphqlEnv,
  MAX_FIRST,
  NodeItem,
  NodePlan,
  OutputPlan,
  VALUE_TYPES,
  ValueItem
} from './plan';

/**
 * Validates a query against the org's schema while planning it: `uiapi { query { <Object>(args) {
 * <connection> } } }`, node fields as `{value displayValue}`, parent relationships (polymorphic ones
 * through `... on <Type>`). Each object connection becomes one SOQL query, compiled here so the SOQL
 * engine's objections are this field's validation errors.
 */
export class Planner extends DocumentReader {
  /** Object queries planned so far (aliases included). */
  private subqueries = 0;
  /** Values the answer would hold so far: rows × node fields over the object queries. */
  private answerValues = 0;

  constructor(
    doc: DocumentNode,
    private readonly env: GraphqlEnv,
    given: Record<string, unknown>
  ) {
    super(doc, given);
  }

  rootField(f: FieldNode): OutputPlan | undefined {
    const key = f.alias?.value ?? f.name.value;
    switch (f.name.value) {
      case '__typename':
        return { key, kind: 'typename', value: 'Query' };
      case 'uiapi':
        return { key, kind: 'object', items: this.selection(this.sub(f, 'UIAPI'), 'UIAPI', (g) => this.uiapiField(g)) };
      default:
        throw undefinedField(f, 'Query');
    }
  }

  private uiapiField(f: FieldNode): OutputPlan | undefined {
    const key = f.alias?.value ?? f.name.value;
    switch (f.name.value) {
      case '__typename':
        return { key, kind: 'typename', value: 'UIAPI' };
      case 'query':
        return { key, kind: 'object', items: this.selection(this.sub(f, 'RecordQuery'), 'RecordQuery', (g) => this.objectField(g)) };
      case 'aggregate':
      case 'objectInfos':
      case 'relatedListByName':
      case 'currentUser':
        throw new Invalid(`uiapi.${f.name.value} is not supported by the local org's GraphQL endpoint (only uiapi.query)`, f);
      default:
        throw undefinedField(f, 'UIAPI');
    }
  }

  private sub(f: FieldNode, typeName: string): SelectionSetNode {
    if (!f.selectionSet) throw new Invalid(`Sub selection required for type ${typeName} of field ${f.name.value}`, f);
    return f.selectionSet;
  }

  private objectField(f: FieldNode): OutputPlan | undefined {
    const key = f.alias?.value ?? f.name.value;
    if (f.name.value === '__typename') return { key, kind: 'typename', value: 'RecordQuery' };
    const obj = this.env.schema.get(f.name.value);
    if (!obj || obj.name !== f.name.value) throw undefinedField(f, 'RecordQuery');
    if (++this.subqueries > MAX_GRAPHQL_SUBQUERIES) {
      // "Each GraphQL query can contain up to 10 subqueries" (GraphQL API Developer Guide, Query Limitations)
      throw new Aborted(
        `Each GraphQL query can contain up to ${MAX_GRAPHQL_SUBQUERIES} subqueries (object queries, aliases included); this one has more`,
        f
      );
    }
    for (const a of f.arguments ?? []) {
      if (!['where', 'orderBy', 'first', 'after'].includes(a.name.value)) {
        throw new Invalid(`Argument '${a.name.value}' of ${obj.name} is not supported by the local org's GraphQL endpoint`, a);
      }
    }
    const path = `uiapi/query/${obj.name}`;
    const first = this.arg(f, 'first');
    if (
      first !== undefined &&
      first !== null &&
      (typeof first !== 'number' || !Number.isInteger(first) || first < 0 || first > MAX_FIRST)
    ) {
      throw new Invalid(`Validation error (WrongType@[${path}]) : argument 'first' must be an integer from 0 to ${MAX_FIRST}`, f);
    }
    const after = this.arg(f, 'after');
    let offset = 0;
    if (after !== undefined && after !== null) {
      const index = typeof after === 'string' ? cursorIndex(after) : undefined;
      if (index === undefined)
        throw new Invalid(`Validation error (WrongType@[${path}]) : argument 'after' is not a cursor of this query`, f);
      offset = index + 1;
    }
    const where = this.arg(f, 'where');
    const orderBy = this.arg(f, 'orderBy');
    const whereSoql =
      where === undefined || where === null ? undefined : filterSoql(obj, where, '', this.env.schema, `${obj.name}_Filter`, f);
    const orderSoql =
      orderBy === undefined || orderBy === null ? [] : orderTerms(obj, orderBy, '', this.env.schema, `${obj.name}_OrderBy`, f);
    const items = this.selection(this.sub(f, `${obj.name}Connection`), `${obj.name}Connection`, (g) => this.connectionField(g, obj, path));
    const paths = new Set<string>(['Id']);
    const collect = (plan: NodePlan, prefix: string) => {
      for (const item of plan.items) {
        if (item.kind === 'Id') paths.add(`${prefix}Id`);
        else if (item.kind === 'DisplayValue' && plan.obj?.nameField) paths.add(`${prefix}${plan.obj.nameField.name}`);
        else if (item.kind === 'field') paths.add(`${prefix}${item.field.name}`);
        else if (item.kind === 'parent') {
          const p = `${prefix}${item.relationship}.`;
          paths.add(`${p}Id`);
          if (item.polymorphic) paths.add(`${p}Type`);
          collect(item.common, p);
          for (const t of item.byType.values()) collect(t, p);
        }
      }
    };
    for (const item of items) if (item.kind === 'edges') for (const e of item.items) if (e.kind === 'node') collect(e.plan, '');
    const soql =
      `SELECT ${[...paths].join(', ')} FROM ${obj.name}` +
      (whereSoql ? ` WHERE ${whereSoql}` : '') +
      (orderSoql.length ? ` ORDER BY ${orderSoql.join(', ')}` : '');
    const plan: ConnectionPlan = { key, obj, soql, first: typeof first === 'number' ? first : DEFAULT_FIRST, offset, items };
    this.answerValues += (plan.first + 1) * (1 + items.reduce((n, i) => n + connectionValues(i), 0));
    if (this.answerValues > MAX_GRAPHQL_ANSWER_VALUES) {
      throw new Aborted(
        `The answer would hold more than ${MAX_GRAPHQL_ANSWER_VALUES} values (records asked for with 'first' × the fields selected, over all subqueries); the local org's GraphQL endpoint answers at most ${MAX_GRAPHQL_ANSWER_VALUES} per request`,
        f
      );
    }
    // compile now, so a query the SOQL engine rejects is a validation error of this field
    try {
      this.env.queries.compile(soql, { ...this.env, includeDeleted: false });
    } catch (e) {
      if (e instanceof ApiError) throw new Invalid(`Validation error (${e.errorCode}@[${path}]) : ${e.message}`, f);
      throw e;
    }
    return { key, kind: 'connection', plan };
  }

  private connectionField(f: FieldNode, obj: ObjectSchema, path: string): ConnectionItem | undefined {
    const key = f.alias?.value ?? f.name.value;
    switch (f.name.value) {
      case '__typename':
        return { key, kind: 'typename' };
      case 'totalCount':
      case 'pageResultCount':
        return { key, kind: f.name.value };
      case 'edges':
        return {
          key,
          kind: 'edges',
          items: this.selection(this.sub(f, `${obj.name}Edge`), `${obj.name}Edge`, (g) => {
            const k = g.alias?.value ?? g.name.value;
            if (g.name.value === 'cursor') return { key: k, kind: 'cursor' as const };
            if (g.name.value === '__typename') return { key: k, kind: 'typename' as const };
            if (g.name.value === 'node') return { key: k, kind: 'node' as const, plan: this.node(g, obj, `${path}/edges/node`) };
            throw undefinedField(g, `${obj.name}Edge`, `${path}/edges`);
          })
        };
      case 'pageInfo':
        return {
          key,
          kind: 'pageInfo',
          items: this.selection(this.sub(f, 'PageInfo'), 'PageInfo', (g) => {
            const k = g.alias?.value ?? g.name.value;
            if (['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor', '__typename'].includes(g.name.value)) {
              return { key: k, kind: g.name.value };
            }
            throw undefinedField(g, 'PageInfo', `${path}/pageInfo`);
          })
        };
      default:
        throw undefinedField(f, `${obj.name}Connection`, path);
    }
  }

  /** A record's selection (a node, or a parent record reached by a relationship). */
  private node(f: FieldNode, obj: ObjectSchema, path: string): NodePlan {
    const items = this.selection(this.sub(f, obj.name), obj.name, (g) => this.nodeField(g, obj, path), [obj.name, 'Record']);
    return { obj, items };
  }

  private nodeField(g: FieldNode, obj: ObjectSchema, path: string): NodeItem | undefined {
    const key = g.alias?.value ?? g.name.value;
    const name = g.name.value;
    if (name === 'Id') return noSub(g, { key, kind: 'Id' });
    if (name === '__typename') return { key, kind: 'typename' };
    if (name === 'ApiName') return noSub(g, { key, kind: 'ApiName' });
    if (name === 'DisplayValue') return noSub(g, { key, kind: 'DisplayValue' });
    const field = obj.fields.find((x) => x.name === name);
    if (field) {
      const typeName = VALUE_TYPES[field.type] ?? 'StringValue';
      const sub = this.selection(this.sub(g, typeName), typeName, (h) => {
        const k = h.alias?.value ?? h.name.value;
        if (h.name.value === 'value' || h.name.value === 'displayValue') return noSub<ValueItem>(h, { key: k, kind: h.name.value });
        if (h.name.value === '__typename') return { key: k, kind: 'typename' } satisfies ValueItem;
        throw new Invalid(`${typeName}.${h.name.value} is not supported by the local org's GraphQL endpoint (value, displayValue)`, h);
      });
      return { key, kind: 'field', field, sub };
    }
    const ref = obj.fields.find((x) => x.relationshipName === name);
    if (ref) {
      const targets = ref.referenceTo.map((t) => this.env.schema.get(t)).filter((o): o is ObjectSchema => o !== undefined);
      const polymorphic = targets.length > 1;
      const set = this.sub(g, name);
      if (!polymorphic) {
        const plan = this.node(g, targets[0], `${path}/${name}`);
        return { key, kind: 'parent', relationship: name, polymorphic, common: plan, byType: new Map() };
      }
      // a polymorphic relationship: Id and __typename directly, other fields in `... on <Type>` fragments
      const common: NodePlan = {
        items: this.selection(
          set,
          name,
          (h) => {
            const k = h.alias?.value ?? h.name.value;
            if (h.name.value === 'Id') return noSub(h, { key: k, kind: 'Id' as const });
            if (h.name.value === '__typename') return { key: k, kind: 'typename' as const };
            throw new Invalid(
              `Validation error (FieldUndefined@[${path}/${name}/${h.name.value}]) : Field '${h.name.value}' in type '${name}' is undefined (select it in an inline fragment: ... on ${targets.map((t) => t.name).join(' / ')})`,
              h
            );
          },
          [name]
        )
      };
      const byType = new Map<string, NodePlan>();
      for (const t of targets) {
        // the fields directly under the relationship were planned (or refused) above: here only `... on <Type>`
        const items = this.selection(set, t.name, (h) => this.nodeField(h, t, `${path}/${name}`), [t.name, 'Record'], true).filter(
          (i) => !(common.items.some((c) => c.key === i.key) && (i.kind === 'Id' || i.kind === 'typename'))
        );
        byType.set(t.name, { obj: t, items });
      }
      return { key, kind: 'parent', relationship: name, polymorphic, common, byType };
    }
    const child = obj.childByName.get(name.toLowerCase());
    if (child && child.relationshipName === name) {
      throw new Invalid(
        `Child relationship ${obj.name}.${name} is not supported by the local org's GraphQL endpoint (parent relationships only)`,
        g
      );
    }
    throw undefinedField(g, obj.name, path);
  }
}

/** The values one record adds to the answer through a connection item. */
function connectionValues(item: ConnectionItem): number {
  if (item.kind !== 'edges') return 0;
  return item.items.reduce((n, e) => n + 1 + (e.kind === 'node' ? nodeValues(e.plan) : 0), 0);
}

function nodeValues(plan: NodePlan): number {
  let n = 0;
  for (const item of plan.items) {
    if (item.kind === 'field') n += item.sub.length;
    else if (item.kind === 'parent') n += 1 + nodeValues(item.common) + [...item.byType.values()].reduce((m, p) => m + nodeValues(p), 0);
    else n += 1;
  }
  return n;
}

function noSub<T>(f: FieldNode, item: T): T {
  if (f.selectionSet) throw new Invalid(`Sub selection not allowed on leaf field ${f.name.value}`, f);
  return item;
}

function undefinedField(f: FieldNode, typeName: string, path?: string): Invalid {
  const at = path ? `${path}/${f.name.value}` : f.name.value;
  return new Invalid(`Validation error (FieldUndefined@[${at}]) : Field '${f.name.value}' in type '${typeName}' is undefined`, f);
}
