import type { OrgContext, RequestContext } from '../context';
import { ApiError, notFound } from '../errors';
import type { Reply } from '../http/reply';
import { normalizeId } from '../ids';
import { displayValue } from '../records/displayValue';
import { fromStored } from '../records/fieldValues';
import type { FieldSchema, ObjectSchema } from '../schema';
import { quote, SqlValue } from '../store';
import type { Route } from './route';
import { etag, MASTER_RECORD_TYPE, objectInfo, picklistValues } from './uiapiObjectInfo';

/**
 * `/ui-api`: the UI API subset the browser preview's LDS adapters need: record
 * get/create/update/delete, object-info and picklist values (uiapiObjectInfo.ts) and
 * related-list records, in the UI API's shapes (`{apiName, id, fields: {X: {value, displayValue}}}`).
 * It answers as the request's user sees the org: objects and fields they cannot read do not exist
 * (a `fields` entry they cannot see is INVALID_FIELD, an `optionalFields` one is left out), object-info
 * says what they may create and update, and records hidden by sharing are not found.
 */
export const uiApiRoute: Route = {
  transaction: true,
  handle(org, req) {
    return new UiApi(org, req.ctx).route(req.method, req.seg, req.url.searchParams, req.json);
  }
};

type Row = Record<string, SqlValue>;

/** A record input of the UI API (`{apiName?, fields: {…}}`), or 400 INVALID_INPUT when the body has another shape. */
function recordInput(input: unknown): { apiName?: unknown; fields: Record<string, unknown> } {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(input)) throw new ApiError(400, 'INVALID_INPUT', 'The request body must be a record input: {"apiName": …, "fields": {…}}');
  const fields = input.fields ?? {};
  if (!isObject(fields)) throw new ApiError(400, 'INVALID_INPUT', 'fields must be an object of field names and values');
  return { apiName: input.apiName, fields };
}

interface FieldTree {
  fields: Map<string, FieldTree | null>;
}

/** The UI API as one request's user sees it. */
class UiApi {
  constructor(
    private readonly org: OrgContext,
    private readonly ctx: RequestContext
  ) {}

  route(method: string, seg: string[], q: URLSearchParams, json: () => unknown): Reply {
    if (seg[0] === 'records') {
      if (seg.length === 1 && method === 'POST') return this.create(json());
      if (seg.length === 2) {
        if (method === 'GET') return { status: 200, body: this.getRecord(seg[1], list(q.get('fields')), list(q.get('optionalFields'))) };
        if (method === 'PATCH') return this.update(seg[1], json());
        if (method === 'DELETE') {
          this.org.records.delete(undefined, seg[1], this.ctx);
          return { status: 204 };
        }
      }
      throw notFound();
    }
    if (seg[0] === 'object-info' && method === 'GET') {
      const obj = this.object(seg[1]);
      if (seg.length === 2) return { status: 200, body: objectInfo(this.org.schema, obj) };
      if (seg[2] === 'picklist-values' && seg.length === 4) {
        const values: Record<string, unknown> = {};
        for (const f of obj.fields)
          if (f.type === 'picklist' || f.type === 'multipicklist') values[f.name] = picklistValues(obj, f, seg[3]);
        return { status: 200, body: { eTag: etag(obj.name), picklistFieldValues: values } };
      }
      if (seg[2] === 'picklist-values' && seg.length === 5) {
        const f = obj.byName.get(seg[4].toLowerCase());
        if (!f || (f.type !== 'picklist' && f.type !== 'multipicklist')) throw notFound();
        return { status: 200, body: picklistValues(obj, f, seg[3]) };
      }
      throw notFound();
    }
    if (seg[0] === 'related-list-records' && seg.length === 3 && method === 'GET') {
      return { status: 200, body: this.relatedList(seg[1], seg[2], q) };
    }
    throw notFound();
  }

  private object(name: string | undefined): ObjectSchema {
    const obj = name ? this.org.schema.get(name) : undefined;
    if (!obj) throw new ApiError(404, 'NOT_FOUND', `The requested resource does not exist`);
    return obj;
  }

  private objectFor(id: string): { obj: ObjectSchema; id: string } {
    const nid = normalizeId(id);
    const obj = nid ? this.org.schema.objectForId(nid) : undefined;
    if (!nid || !obj) throw new ApiError(400, 'INVALID_ID_FIELD', `Invalid record id: ${id}`);
    return { obj, id: nid };
  }

  private row(obj: ObjectSchema, id: string): Row {
    const row = this.org.records.row(obj, id);
    if (!row || row.IsDeleted === 1 || !this.ctx.access.canRead(obj, row)) {
      throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    return row;
  }

  getRecord(id: string, fields: string[], optionalFields: string[]): unknown {
    const { obj, id: nid } = this.objectFor(id);
    const row = this.row(obj, nid);
    const tree: FieldTree = { fields: new Map() };
    const add = (spec: string, optional: boolean) => {
      const parts = spec.split('.');
      if (parts[0].toLowerCase() !== obj.name.toLowerCase()) {
        if (optional) return;
        throw new ApiError(400, 'INVALID_FIELD', `Object ${parts[0]} is not ${obj.name}`);
      }
      if (!this.pathExists(obj, parts.slice(1))) {
        if (optional) return;
        throw new ApiError(400, 'INVALID_FIELD', `Field ${spec} is not valid or accessible`);
      }
      let node = tree;
      for (const [i, part] of parts.entries()) {
        if (i === 0) continue;
        const last = i === parts.length - 1;
        const existing = node.fields.get(part);
        if (last) {
          if (existing === undefined) node.fields.set(part, null);
        } else {
          let child = existing;
          if (!child) node.fields.set(part, (child = { fields: new Map() }));
          node = child;
        }
      }
    };
    for (const f of fields) add(f, false);
    for (const f of optionalFields) add(f, true);
    if (fields.length === 0 && optionalFields.length === 0) {
      for (const f of obj.fields) tree.fields.set(f.name, null);
    }
    return this.representation(obj, row, tree);
  }

  private pathExists(obj: ObjectSchema, parts: string[]): boolean {
    if (parts.length === 0) return false;
    if (parts.length === 1) return obj.byName.has(parts[0].toLowerCase()) || obj.byRelationship.has(parts[0].toLowerCase());
    const ref = obj.byRelationship.get(parts[0].toLowerCase());
    if (!ref) return false;
    return ref.referenceTo.some((t) => {
      const target = this.org.schema.get(t);
      return target ? this.pathExists(target, parts.slice(1)) : false;
    });
  }

  private representation(obj: ObjectSchema, row: Row, tree: FieldTree): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    for (const [name, sub] of tree.fields) {
      const f = obj.byName.get(name.toLowerCase());
      if (f && sub === null) {
        const value = fromStored(f, row[f.name]);
        fields[f.name] = { displayValue: this.displayValue(f, value), value };
        continue;
      }
      const ref = obj.byRelationship.get(name.toLowerCase());
      if (!ref) continue;
      const targetId = row[ref.name];
      const target = typeof targetId === 'string' ? this.org.schema.objectForId(targetId) : undefined;
      const targetRow = target ? this.org.records.row(target, targetId as string) : undefined;
      if (!target || !targetRow || !this.ctx.access.canRead(target, targetRow)) {
        fields[ref.relationshipName!] = { displayValue: null, value: null };
        continue;
      }
      const childTree: FieldTree = sub ?? { fields: new Map(target.nameField ? [[target.nameField.name, null]] : []) };
      const rep = this.representation(target, targetRow, childTree);
      const nameValue = target.nameField ? targetRow[target.nameField.name] : null;
      fields[ref.relationshipName!] = { displayValue: nameValue ?? null, value: rep };
    }
    return {
      apiName: obj.name,
      childRelationships: {},
      eTag: etag(`${String(row.Id)}:${String(row.SystemModstamp ?? '')}`),
      fields,
      id: row.Id,
      lastModifiedById: row.LastModifiedById ?? null,
      lastModifiedDate: row.LastModifiedDate ? fromStored(obj.byName.get('lastmodifieddate')!, row.LastModifiedDate) : null,
      recordTypeId: MASTER_RECORD_TYPE,
      recordTypeInfo: null,
      systemModstamp: row.SystemModstamp ? fromStored(obj.byName.get('systemmodstamp')!, row.SystemModstamp) : null,
      weakEtag: row.SystemModstamp ? Date.parse(String(row.SystemModstamp)) : 0
    };
  }

  private displayValue(f: FieldSchema, value: unknown): string | null {
    return displayValue(f, value, this.ctx.timeZone());
  }

  private create(input: unknown): Reply {
    const body = recordInput(input);
    if (typeof body.apiName !== 'string' || !body.apiName) throw new ApiError(400, 'INVALID_INPUT', 'apiName is required');
    const obj = this.object(body.apiName);
    const id = this.org.records.insert(obj.name, body.fields, this.ctx);
    return { status: 201, body: this.getRecord(id, [], []) };
  }

  private update(id: string, input: unknown): Reply {
    const body = recordInput(input);
    const { obj, id: nid } = this.objectFor(id);
    this.row(obj, nid);
    const fields = { ...body.fields };
    delete fields.Id;
    this.org.records.update(obj.name, nid, fields, this.ctx);
    return { status: 200, body: this.getRecord(nid, [], []) };
  }

  private relatedList(parentId: string, relatedListId: string, q: URLSearchParams): unknown {
    const { obj: parent, id } = this.objectFor(parentId);
    this.row(parent, id);
    const rel = parent.childByName.get(relatedListId.toLowerCase());
    if (!rel) throw new ApiError(404, 'NOT_FOUND', `Related list ${relatedListId} is not valid for ${parent.name}`);
    const child = this.org.schema.get(rel.childSObject)!;
    const pageSize = Math.min(Math.max(Number(q.get('pageSize') ?? 50) || 50, 1), 1999);
    const page = Math.min(Math.max(Math.floor(Number(q.get('pageToken') ?? 0)) || 0, 0), 1_000_000);
    const strip = (s: string) => (s.toLowerCase().startsWith(child.name.toLowerCase() + '.') ? s : `${child.name}.${s}`);
    const fields = list(q.get('fields')).map(strip);
    const optionalFields = list(q.get('optionalFields')).map(strip);
    const order: string[] = [];
    for (const s of list(q.get('sortBy'))) {
      const desc = s.startsWith('-');
      const path = s.replace(/^-/, '').toLowerCase();
      const prefix = `${child.name.toLowerCase()}.`;
      const f = child.byName.get(path.startsWith(prefix) ? path.slice(prefix.length) : path);
      if (f) order.push(`t.${quote(f.name)} ${desc ? 'DESC' : 'ASC'}`);
    }
    order.push('t.rowid');
    const live = child.byName.has('isdeleted') ? ' AND t."IsDeleted" = 0' : '';
    const shared = this.org.schema.visibility?.readFilter(child, 't');
    const where = `t.${quote(rel.field)} = ?${live}${shared ? ` AND ${shared.sql}` : ''}`;
    const params = [id, ...(shared?.params ?? [])];
    const count = Number(this.org.store.get(`SELECT COUNT(*) AS n FROM ${quote(child.name)} t WHERE ${where}`, params)!.n);
    const rows = this.org.store.all(
      `SELECT t."Id" FROM ${quote(child.name)} t WHERE ${where} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
      [...params, pageSize, page * pageSize]
    );
    const records = rows.map((r) => this.getRecord(String(r.Id), fields, optionalFields));
    const hasNext = (page + 1) * pageSize < count;
    return {
      count,
      currentPageToken: String(page),
      currentPageUrl: `/services/data/v64.0/ui-api/related-list-records/${id}/${rel.relationshipName}?pageToken=${page}`,
      fields,
      listInfoETag: etag(`rl:${rel.relationshipName}`),
      listReference: {
        inContextOfRecordId: id,
        listViewApiName: null,
        objectApiName: child.name,
        parentObjectApiName: parent.name,
        recordTypeId: null,
        relatedListId: rel.relationshipName
      },
      nextPageToken: hasNext ? String(page + 1) : null,
      nextPageUrl: hasNext ? `/services/data/v64.0/ui-api/related-list-records/${id}/${rel.relationshipName}?pageToken=${page + 1}` : null,
      optionalFields,
      pageSize,
      previousPageToken: page > 0 ? String(page - 1) : null,
      previousPageUrl:
        page > 0 ? `/services/data/v64.0/ui-api/related-list-records/${id}/${rel.relationshipName}?pageToken=${page - 1}` : null,
      records,
      sortBy: list(q.get('sortBy'))
    };
  }
}

function list(v: string | null): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
