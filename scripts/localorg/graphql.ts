import {
  GraphQLError,
  Kind,
  parse,
  valueFromASTUntyped,
  type ASTNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode
} from 'graphql';
import { toStoredDate, toStoredDateTime } from './dates';
import { ApiError } from './errors';
import type { QueryEngine } from './soql/queryEngine';
import type { FieldSchema, ObjectSchema, Schema } from './schema';
import { displayValue } from './records/displayValue';

/**
 * The UI API GraphQL endpoint (`POST /services/data/vXX.X/graphql`), the subset the
 * `lightning/graphql` wire adapter uses for record queries:
 *
 *   query { uiapi { query { Lead(where: {...}, orderBy: {...}, first: 10, after: "…") {
 *     edges { cursor node { Id Name { value displayValue } Owner { ... on User { Name { value } } } } }
 *     pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount pageResultCount } } } }
 *
 * with variables, aliases, fragments, @include/@skip. The document is parsed with graphql-js and each
 * object connection becomes one SOQL query run by the org's SOQL engine (parameterised SQL); cursors
 * are opaque offsets (`base64("v1:<index>")`). Answers are Salesforce's `{data, errors}` with HTTP 200,
 * also for invalid queries: `errors[]` entries with `message`, `locations` and `extensions.ErrorType`
 * (`InvalidSyntax`, `ValidationError`, `OperationNotSupported`); anything outside the subset (mutations,
 * child relationships, `objectInfos`, `aggregate`, `scope`, `upperBound`, …) is a ValidationError naming it.
 */

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlErrorEntry {
  message: string;
  locations: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions: { ErrorType: ErrorType };
}

export interface GraphqlResponse {
  data: Record<string, unknown> | null;
  errors: GraphqlErrorEntry[];
}

type ErrorType = 'InvalidSyntax' | 'ValidationError' | 'OperationNotSupported' | 'DataFetchingException';

export interface GraphqlEnv {
  schema: Schema;
  queries: QueryEngine;
  version: string;
  now: Date;
  tz: string;
}

/** The most records a connection returns per request (`first`); 10 when `first` is not given. */
export const MAX_FIRST = 2000;
const DEFAULT_FIRST = 10;

const DATE_LITERALS = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'LAST_QUARTER',
  'THIS_QUARTER',
  'NEXT_QUARTER',
  'LAST_YEAR',
  'THIS_YEAR',
  'NEXT_YEAR'
]);

const VALUE_TYPES: Record<string, string> = {
  id: 'IDValue',
  reference: 'IDValue',
  string: 'StringValue',
  textarea: 'TextAreaValue',
  email: 'EmailValue',
  phone: 'PhoneNumberValue',
  url: 'UrlValue',
  picklist: 'PicklistValue',
  multipicklist: 'MultiPicklistValue',
  combobox: 'PicklistValue',
  boolean: 'BooleanValue',
  int: 'IntValue',
  double: 'DoubleValue',
  currency: 'CurrencyValue',
  percent: 'PercentValue',
  date: 'DateValue',
  datetime: 'DateTimeValue',
  time: 'TimeValue',
  anyType: 'StringValue'
};

class Invalid extends Error {
  constructor(
    message: string,
    readonly node?: ASTNode,
    readonly errorType: ErrorType = 'ValidationError'
  ) {
    super(message);
  }
}

// ---- plans -----------------------------------------------------------------------------------

type ValueItem = { key: string; kind: 'value' | 'displayValue' | 'typename' };

type NodeItem =
  | { key: string; kind: 'Id' | 'typename' | 'ApiName' | 'DisplayValue' }
  | { key: string; kind: 'field'; field: FieldSchema; sub: ValueItem[] }
  | { key: string; kind: 'parent'; relationship: string; polymorphic: boolean; byType: Map<string, NodePlan>; common: NodePlan };

interface NodePlan {
  obj?: ObjectSchema;
  items: NodeItem[];
}

type ConnectionItem =
  | { key: string; kind: 'totalCount' | 'pageResultCount' | 'typename' }
  | {
      key: string;
      kind: 'edges';
      items: Array<{ key: string; kind: 'cursor' | 'typename' } | { key: string; kind: 'node'; plan: NodePlan }>;
    }
  | { key: string; kind: 'pageInfo'; items: Array<{ key: string; kind: string }> };

interface ConnectionPlan {
  key: string;
  obj: ObjectSchema;
  soql: string;
  first: number;
  offset: number;
  items: ConnectionItem[];
}

type OutputPlan =
  | { key: string; kind: 'typename'; value: string }
  | { key: string; kind: 'object'; items: OutputPlan[] }
  | { key: string; kind: 'connection'; plan: ConnectionPlan };

// ---- entry -----------------------------------------------------------------------------------

export function runGraphql(body: unknown, env: GraphqlEnv): GraphqlResponse {
  const req = (typeof body === 'object' && body !== null ? body : {}) as GraphqlRequest;
  if (typeof req.query !== 'string' || req.query.trim() === '') {
    return failed([
      entry(new Invalid('The request has no query (expected a JSON body {query, variables, operationName})', undefined, 'InvalidSyntax'))
    ]);
  }
  let doc: DocumentNode;
  try {
    doc = parse(req.query);
  } catch (e) {
    if (e instanceof GraphQLError) {
      return failed([{ message: e.message, locations: [...(e.locations ?? [])], extensions: { ErrorType: 'InvalidSyntax' } }]);
    }
    throw e;
  }
  const variables = req.variables && typeof req.variables === 'object' ? (req.variables as Record<string, unknown>) : {};
  const planner = new Planner(doc, env, variables);
  let root: OutputPlan[];
  try {
    const op = planner.operation(typeof req.operationName === 'string' ? req.operationName : undefined);
    planner.bindVariables(op);
    root = planner.selection(op.selectionSet, 'Query', (f) => planner.rootField(f));
  } catch (e) {
    if (e instanceof Invalid) return failed([entry(e)]);
    throw e;
  }
  if (planner.errors.length > 0) return failed(planner.errors);
  const data: Record<string, unknown> = {};
  try {
    for (const p of root) data[p.key] = execute(p, env);
  } catch (e) {
    if (e instanceof ApiError) return failed([{ message: e.message, locations: [], extensions: { ErrorType: 'DataFetchingException' } }]);
    throw e;
  }
  return { data, errors: [] };
}

function failed(errors: GraphqlErrorEntry[]): GraphqlResponse {
  return { data: null, errors };
}

function entry(e: Invalid): GraphqlErrorEntry {
  const loc = e.node?.loc;
  return {
    message: e.message,
    locations: loc ? [{ line: loc.startToken.line, column: loc.startToken.column }] : [],
    extensions: { ErrorType: e.errorType }
  };
}

// ---- planning (validation) ---------------------------------------------------------------------

class Planner {
  readonly errors: GraphqlErrorEntry[] = [];
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private vars: Record<string, unknown> = {};

  constructor(
    private readonly doc: DocumentNode,
    private readonly env: GraphqlEnv,
    private readonly given: Record<string, unknown>
  ) {
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  operation(name: string | undefined): OperationDefinitionNode {
    const ops = this.doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const op = name === undefined ? (ops.length === 1 ? ops[0] : undefined) : ops.find((o) => o.name?.value === name);
    if (!op) {
      const why = name === undefined ? 'the document has several operations and no operationName' : `no operation named '${name}'`;
      throw new Invalid(`Unable to determine the operation to run: ${why}`, undefined, 'OperationNotSupported');
    }
    if (op.operation !== 'query') {
      throw new Invalid(`The local org's GraphQL endpoint supports queries only, not ${op.operation}s (no uiapi mutations)`, op);
    }
    return op;
  }

  bindVariables(op: OperationDefinitionNode): void {
    for (const def of op.variableDefinitions ?? []) {
      const name = def.variable.name.value;
      let value = Object.prototype.hasOwnProperty.call(this.given, name) ? this.given[name] : undefined;
      if (value === undefined && def.defaultValue) value = valueFromASTUntyped(def.defaultValue);
      if ((value === undefined || value === null) && def.type.kind === Kind.NON_NULL_TYPE) {
        throw new Invalid(`Variable '${name}' has an invalid value: null (it is required)`, def);
      }
      this.vars[name] = value ?? null;
    }
  }

  private arg(field: FieldNode, name: string): unknown {
    const a = field.arguments?.find((x) => x.name.value === name);
    if (!a) return undefined;
    if (a.value.kind === Kind.VARIABLE && !(a.value.name.value in this.vars)) {
      throw new Invalid(`Variable '${a.value.name.value}' is not defined by the operation`, a.value);
    }
    return valueFromASTUntyped(a.value, this.vars);
  }

  private included(directives: readonly DirectiveNode[] | undefined): boolean {
    for (const d of directives ?? []) {
      const name = d.name.value;
      if (name === 'include' || name === 'skip') {
        const a = d.arguments?.find((x) => x.name.value === 'if');
        const v = a ? valueFromASTUntyped(a.value, this.vars) : undefined;
        if (typeof v !== 'boolean') throw new Invalid(`@${name} needs a boolean 'if' argument`, d);
        if ((name === 'include') !== v) return false;
      } else if (name !== 'category' && name !== 'optional') {
        throw new Invalid(`Directive '@${name}' is not supported by the local org's GraphQL endpoint`, d);
      }
    }
    return true;
  }

  /**
   * The fields of a selection set on `typeName` (fragments spread and inline fragments whose type
   * condition matches are merged in), each planned by `plan`; errors are collected, not thrown, so
   * one answer names every problem.
   */
  selection<T>(
    set: SelectionSetNode,
    typeName: string,
    plan: (f: FieldNode) => T | undefined,
    typeNames: string[] = [typeName],
    fragmentsOnly = false
  ): T[] {
    const out: T[] = [];
    const walk = (s: SelectionSetNode, seen: Set<string>, top: boolean) => {
      for (const sel of s.selections) {
        if (!this.included(sel.directives)) continue;
        if (sel.kind === Kind.FIELD) {
          if (top && fragmentsOnly) continue;
          try {
            const p = plan(sel);
            if (p !== undefined) out.push(p);
          } catch (e) {
            if (!(e instanceof Invalid)) throw e;
            this.errors.push(entry(e));
          }
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const cond = sel.typeCondition?.name.value;
          if (cond === undefined || typeNames.includes(cond)) walk(sel.selectionSet, seen, false);
        } else {
          const frag = this.fragments.get(sel.name.value);
          if (!frag) {
            this.errors.push(entry(new Invalid(`Undefined fragment '${sel.name.value}'`, sel)));
            continue;
          }
          if (seen.has(frag.name.value)) continue;
          if (typeNames.includes(frag.typeCondition.name.value)) walk(frag.selectionSet, new Set([...seen, frag.name.value]), false);
        }
      }
    };
    walk(set, new Set(), true);
    return out;
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

function noSub<T>(f: FieldNode, item: T): T {
  if (f.selectionSet) throw new Invalid(`Sub selection not allowed on leaf field ${f.name.value}`, f);
  return item;
}

function undefinedField(f: FieldNode, typeName: string, path?: string): Invalid {
  const at = path ? `${path}/${f.name.value}` : f.name.value;
  return new Invalid(`Validation error (FieldUndefined@[${at}]) : Field '${f.name.value}' in type '${typeName}' is undefined`, f);
}

// ---- where / orderBy → SOQL --------------------------------------------------------------------

const STRING_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox', 'id', 'reference']);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);
const OPERATORS: Record<string, string> = { eq: '=', ne: '!=', lt: '<', gt: '>', lte: '<=', gte: '>=', like: 'LIKE' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A SOQL string literal (quotes, backslashes and control characters escaped). */
function soqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

/** A filter (`Lead_Filter`) → a SOQL condition; `prefix` is the relationship path from the queried object. */
function filterSoql(
  obj: ObjectSchema,
  filter: unknown,
  prefix: string,
  schema: Schema,
  typeName: string,
  node: FieldNode
): string | undefined {
  if (!isObject(filter))
    throw new Invalid(`Validation error (WrongType) : argument 'where' must be an input object of type '${typeName}'`, node);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'and' || key === 'or') {
      const list = (Array.isArray(value) ? value : [value])
        .map((v) => filterSoql(obj, v, prefix, schema, typeName, node))
        .filter((s): s is string => s !== undefined);
      if (list.length) parts.push(list.length === 1 ? list[0] : `(${list.join(key === 'and' ? ' AND ' : ' OR ')})`);
      continue;
    }
    if (key === 'not') {
      const inner = filterSoql(obj, value, prefix, schema, typeName, node);
      if (inner) parts.push(`(NOT (${inner}))`);
      continue;
    }
    const field = obj.fields.find((f) => f.name === key);
    if (field) {
      parts.push(...fieldConditions(field, `${prefix}${field.name}`, value, node));
      continue;
    }
    const ref = obj.fields.find((f) => f.relationshipName === key);
    if (ref) {
      if (ref.referenceTo.length !== 1) {
        throw new Invalid(
          `Filtering on the polymorphic relationship ${obj.name}.${key} is not supported by the local org's GraphQL endpoint`,
          node
        );
      }
      const target = schema.get(ref.referenceTo[0])!;
      const inner = filterSoql(target, value, `${prefix}${key}.`, schema, `${target.name}_Filter`, node);
      if (inner) parts.push(inner);
      continue;
    }
    throw new Invalid(`Validation error (WrongType) : argument 'where' contains a field not in '${typeName}': '${key}'`, node);
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
}

function fieldConditions(field: FieldSchema, path: string, ops: unknown, node: FieldNode): string[] {
  if (!isObject(ops))
    throw new Invalid(`Validation error (WrongType) : filter on ${field.name} must be an object of operators (eq, ne, lt, …)`, node);
  if (field.filterable === false) throw new Invalid(`Validation error (WrongType) : field ${field.name} can not be filtered`, node);
  const out: string[] = [];
  for (const [op, value] of Object.entries(ops)) {
    if (op === 'in' || op === 'nin') {
      if (!Array.isArray(value)) throw new Invalid(`Validation error (WrongType) : ${field.name}.${op} needs a list`, node);
      out.push(
        value.length === 0
          ? op === 'in'
            ? `Id = null`
            : `Id != null`
          : `${path} ${op === 'in' ? 'IN' : 'NOT IN'} (${value.map((v) => literal(field, v, node)).join(', ')})`
      );
    } else if (op === 'includes' || op === 'excludes') {
      if (field.type !== 'multipicklist')
        throw new Invalid(`Validation error (WrongType) : ${op} applies to multi-select picklists only, not ${field.name}`, node);
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        throw new Invalid(`Validation error (WrongType) : ${field.name}.${op} needs a list of strings`, node);
      out.push(`${path} ${op.toUpperCase()} (${value.map((v) => soqlString(v as string)).join(', ')})`);
    } else if (OPERATORS[op]) {
      if (value === null && op !== 'eq' && op !== 'ne')
        throw new Invalid(`Validation error (WrongType) : ${field.name}.${op} cannot be null`, node);
      if (op === 'like' && (!STRING_TYPES.has(field.type) || typeof value !== 'string')) {
        throw new Invalid(`Validation error (WrongType) : ${field.name}.like needs a string on a text field`, node);
      }
      out.push(`${path} ${OPERATORS[op]} ${literal(field, value, node)}`);
    } else {
      throw new Invalid(
        `Operator '${op}' on ${field.name} is not supported by the local org's GraphQL endpoint (eq, ne, lt, gt, lte, gte, in, nin, like, includes, excludes)`,
        node
      );
    }
  }
  return out;
}

function literal(field: FieldSchema, value: unknown, node: FieldNode): string {
  if (value === null) return 'null';
  const wrong = (expected: string) =>
    new Invalid(`Validation error (WrongType) : value ${JSON.stringify(value)} for ${field.name} must be ${expected}`, node);
  if (STRING_TYPES.has(field.type)) {
    if (typeof value !== 'string') throw wrong('a string');
    return soqlString(value);
  }
  if (NUMBER_TYPES.has(field.type)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('a number');
    return String(value);
  }
  if (field.type === 'boolean') {
    if (typeof value !== 'boolean') throw wrong('true or false');
    return value ? 'TRUE' : 'FALSE';
  }
  if (field.type === 'date' || field.type === 'datetime') {
    // Date and DateTime operators take {value: "…"} or {literal: TODAY | LAST_WEEK | …}
    if (!isObject(value)) throw wrong('an object {value} or {literal}');
    if (typeof value.literal === 'string') {
      if (!DATE_LITERALS.has(value.literal)) throw wrong(`a date literal (${[...DATE_LITERALS].join(', ')})`);
      return value.literal;
    }
    if (value.range !== undefined)
      throw new Invalid(`Date ranges (range: {…}) are not supported by the local org's GraphQL endpoint`, node);
    if (typeof value.value !== 'string') throw wrong('an object {value} or {literal}');
    if (field.type === 'date') {
      const d = toStoredDate(value.value);
      if (!d) throw wrong('a date YYYY-MM-DD');
      return d;
    }
    const dt = toStoredDateTime(value.value);
    if (!dt) throw wrong('an ISO 8601 date-time');
    return dt.replace(/\.000Z$/, 'Z');
  }
  throw new Invalid(`Filtering on ${field.type} field ${field.name} is not supported by the local org's GraphQL endpoint`, node);
}

/** An orderBy (`{Field: {order: ASC|DESC, nulls: FIRST|LAST}, Parent: {Field: {...}}}`) → SOQL ORDER BY terms. */
function orderTerms(obj: ObjectSchema, orderBy: unknown, prefix: string, schema: Schema, typeName: string, node: FieldNode): string[] {
  if (!isObject(orderBy))
    throw new Invalid(`Validation error (WrongType) : argument 'orderBy' must be an input object of type '${typeName}'`, node);
  const out: string[] = [];
  for (const [key, value] of Object.entries(orderBy)) {
    const field = obj.fields.find((f) => f.name === key);
    if (field) {
      if (!isObject(value)) throw new Invalid(`Validation error (WrongType) : orderBy.${key} must be {order, nulls}`, node);
      for (const k of Object.keys(value)) {
        if (k !== 'order' && k !== 'nulls')
          throw new Invalid(`Validation error (WrongType) : orderBy.${key} has an unknown field '${k}' (order, nulls)`, node);
      }
      const order = value.order ?? 'ASC';
      const nulls = value.nulls;
      if (order !== 'ASC' && order !== 'DESC')
        throw new Invalid(`Validation error (WrongType) : orderBy.${key}.order must be ASC or DESC`, node);
      if (nulls !== undefined && nulls !== 'FIRST' && nulls !== 'LAST')
        throw new Invalid(`Validation error (WrongType) : orderBy.${key}.nulls must be FIRST or LAST`, node);
      if (field.filterable === false) throw new Invalid(`Validation error (WrongType) : field ${field.name} can not be sorted`, node);
      out.push(`${prefix}${field.name} ${order}${nulls ? ` NULLS ${nulls}` : ''}`);
      continue;
    }
    const ref = obj.fields.find((f) => f.relationshipName === key);
    if (ref && ref.referenceTo.length === 1) {
      const target = schema.get(ref.referenceTo[0])!;
      out.push(...orderTerms(target, value, `${prefix}${key}.`, schema, `${target.name}_OrderBy`, node));
      continue;
    }
    throw new Invalid(`Validation error (WrongType) : argument 'orderBy' contains a field not in '${typeName}': '${key}'`, node);
  }
  return out;
}

// ---- cursors -----------------------------------------------------------------------------------

export function cursorOf(index: number): string {
  return Buffer.from(`v1:${index}`).toString('base64');
}

function cursorIndex(cursor: string): number | undefined {
  const m = /^v1:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

// ---- execution ---------------------------------------------------------------------------------

function execute(p: OutputPlan, env: GraphqlEnv): unknown {
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
