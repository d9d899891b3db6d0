import { MAX_PARENT_LEVELS } from '../bounds';
import { ApiError } from '../errors';
import type { FieldSchema, ObjectSchema } from '../schema';
import { quote, SqlValue } from '../store';
import type { QueryEnv } from './plan';
import type { RangeHints } from './rangeHints';

/**
 * Field paths of a query (`Name`, `Owner.Name`, `Lead__r.Owner.Email`) resolved against the schema:
 * each parent relationship hop becomes a LEFT JOIN (one per target object of a polymorphic lookup),
 * joined once per query however often the path appears. Against a user's view of the schema a field
 * hidden by field-level security is "No such column … on entity …" (INVALID_FIELD), as in an org,
 * and a lookup into an object the user cannot read has no relationship to follow.
 */

export interface RelNode {
  /** Path key, lower-case `owner` / `lead__r.owner`. */
  key: string;
  /** Canonical relationship name. */
  name: string;
  targets: Array<{ obj: ObjectSchema; alias: string }>;
  /** SQL expression of the related record's Id (null when no parent). */
  idExpr: string;
  typeExpr: string;
  polymorphic: boolean;
  parent?: RelNode;
}

export interface Resolved {
  expr: string;
  field: FieldSchema;
  /** Relationship hops (canonical names) and their nodes. */
  rels: RelNode[];
  fieldName: string;
}

let aliasCounter = 0;

export class Scope {
  readonly joins: string[] = [];
  readonly relNodes = new Map<string, RelNode>();
  readonly alias: string;
  /** The query's ranges on indexed date columns (rangeHints.ts); none in a semi-join's subquery. */
  hints?: RangeHints;

  constructor(
    readonly obj: ObjectSchema,
    readonly env: QueryEnv,
    readonly objectAlias?: string
  ) {
    this.alias = `t${aliasCounter++ % 100000}`;
  }

  resolve(path: string): Resolved {
    let parts = path.split('.');
    if (parts.length > 1 && (parts[0].toLowerCase() === this.obj.name.toLowerCase() || parts[0] === this.objectAlias)) {
      parts = parts.slice(1);
    }
    if (parts.length - 1 > MAX_PARENT_LEVELS) {
      // "No more than five levels can be specified in a child-to-parent relationship" (SOQL and SOSL
      // Reference, Understanding Relationship Query Limitations)
      throw new ApiError(
        400,
        'MALFORMED_QUERY',
        `${path}: a child-to-parent relationship path can have at most ${MAX_PARENT_LEVELS} levels (this one has ${parts.length - 1})`
      );
    }
    const rels: RelNode[] = [];
    let current: { obj: ObjectSchema; alias: string }[] = [{ obj: this.obj, alias: this.alias }];
    let parent: RelNode | undefined;
    for (const part of parts.slice(0, -1)) {
      if (current.length > 1) {
        throw new ApiError(
          400,
          'INVALID_FIELD',
          `Didn't understand relationship '${part}' in field path: polymorphic relationships can only be followed one level (the local org does not support TYPEOF).`
        );
      }
      const from = current[0];
      const ref = from.obj.byRelationship.get(part.toLowerCase());
      if (!ref) {
        throw new ApiError(
          400,
          'INVALID_FIELD',
          `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
        );
      }
      const key = (parent ? `${parent.key}.` : '') + ref.relationshipName!.toLowerCase();
      let node = this.relNodes.get(key);
      if (!node) {
        const targets = ref.referenceTo
          .map((t) => this.env.schema.get(t))
          .filter((o): o is ObjectSchema => o !== undefined)
          .map((obj) => {
            const alias = `t${aliasCounter++ % 100000}`;
            this.joins.push(`LEFT JOIN ${quote(obj.name)} ${alias} ON ${alias}."Id" = ${from.alias}.${quote(ref.name)}`);
            return { obj, alias };
          });
        const idExpr = targets.length === 1 ? `${targets[0].alias}."Id"` : `COALESCE(${targets.map((t) => `${t.alias}."Id"`).join(', ')})`;
        const typeExpr =
          targets.length === 1
            ? `'${targets[0].obj.name}'`
            : `CASE ${targets.map((t) => `WHEN ${t.alias}."Id" IS NOT NULL THEN '${t.obj.name}'`).join(' ')} END`;
        node = { key, name: ref.relationshipName!, targets, idExpr, typeExpr, polymorphic: ref.referenceTo.length > 1, parent };
        this.relNodes.set(key, node);
      }
      rels.push(node);
      parent = node;
      current = node.targets;
    }
    const fieldName = parts[parts.length - 1];
    const lower = fieldName.toLowerCase();
    const withField = current.filter((t) => t.obj.byName.has(lower));
    if (parent?.polymorphic && lower === 'type') {
      const f: FieldSchema = { ...current[0].obj.byName.get('id')!, name: 'Type', type: 'string' };
      return { expr: parent.typeExpr, field: f, rels, fieldName: 'Type' };
    }
    if (withField.length === 0) {
      const entity = current.length === 1 ? current[0].obj.name : 'Name';
      throw new ApiError(
        400,
        'INVALID_FIELD',
        `No such column '${fieldName}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
      );
    }
    const field = withField[0].obj.byName.get(lower)!;
    const expr =
      withField.length === 1
        ? `${withField[0].alias}.${quote(field.name)}`
        : `COALESCE(${withField.map((t) => `${t.alias}.${quote(field.name)}`).join(', ')})`;
    return { expr, field, rels, fieldName: field.name };
  }

  fromClause(): string {
    return `FROM ${quote(this.obj.name)} ${this.alias}${this.joins.length ? ' ' + this.joins.join(' ') : ''}`;
  }

  liveFilter(): string | undefined {
    if (this.env.includeDeleted || !this.obj.byName.has('isdeleted')) return undefined;
    return `${this.alias}."IsDeleted" = 0`;
  }

  /**
   * The records of this object the running user may read, when the query runs against a user's view
   * of the schema (permissions/): a condition whose parameters are pushed onto `params`. Undefined
   * when every record is readable (the admin, public objects, View All).
   */
  sharingFilter(params: SqlValue[]): string | undefined {
    const f = this.env.schema.visibility?.readFilter(this.obj, this.alias);
    if (!f) return undefined;
    params.push(...f.params);
    return f.sql;
  }
}

export function pathOf(node: RelNode): string[] {
  const out: string[] = [];
  for (let n: RelNode | undefined = node; n; n = n.parent) out.unshift(n.name);
  return out;
}
