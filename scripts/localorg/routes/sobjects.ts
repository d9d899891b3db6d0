import { describeSObject, globalDescribe, sobjectBasicInfo } from '../describe';
import { ApiError, methodNotAllowed, notFound } from '../errors';
import { normalizeId } from '../ids';
import { quote } from '../store';
import { deletedRecords, updatedRecords } from './replication';
import type { Route } from './route';
import { notImplemented } from './unsupported';

/**
 * The resources a real org has under `/sobjects/X/` that the local org does not: answered NOT_FOUND
 * saying so, never taken for a record id or an external id field.
 */
const UNSUPPORTED_SUBRESOURCES: ReadonlyMap<string, string> = new Map([
  ['listviews', 'list views'],
  ['quickActions', 'quick actions'],
  ['eventSchema', 'platform event schemas'],
  ['suggestedArticles', 'Knowledge suggested articles'],
  ['richTextImageFields', 'rich text images']
]);

/**
 * `/sobjects`: the global describe; `/sobjects/X`: an object's basic info, and create;
 * `/sobjects/X/describe`; `/sobjects/X/<id>`: retrieve, update, delete;
 * `/sobjects/X/<externalIdField>/<value>`: upsert, and retrieve or delete by external id
 * (300 with the records' URLs when the value matches more than one); `/sobjects/X/updated` and
 * `/sobjects/X/deleted` (data replication, replication.ts).
 */
export const sobjectsRoute: Route = {
  transaction: true,
  handle(org, { method, seg, url, json, version, ctx }) {
    const q = url.searchParams;
    if (seg.length === 0) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return { status: 200, body: globalDescribe(org.schema, version) };
    }
    const obj = org.schema.get(seg[0]);
    if (!obj) throw notFound();
    if (seg.length === 1) {
      if (method === 'GET') return { status: 200, body: sobjectBasicInfo(obj, version) };
      if (method === 'POST') {
        const input = json() as Record<string, unknown>;
        if (input && typeof input === 'object' && ('Id' in input || 'id' in input)) {
          throw new ApiError(
            400,
            'INVALID_FIELD',
            'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
            ['Id']
          );
        }
        const id = org.records.insert(obj.name, input, ctx);
        return { status: 201, body: { id, success: true, errors: [] } };
      }
      throw methodNotAllowed(method);
    }
    if (seg[1] === 'describe' && seg.length === 2) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return { status: 200, body: describeSObject(obj, version) };
    }
    if (seg[1] === 'describe') throw notImplemented(`describe/${seg[2]} (layouts, compact layouts and the other describe sub-resources)`);
    if (seg.length === 2 && (seg[1] === 'updated' || seg[1] === 'deleted')) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return seg[1] === 'updated' ? updatedRecords(org, obj, url, ctx) : deletedRecords(org, obj, url, ctx);
    }
    const unsupported = UNSUPPORTED_SUBRESOURCES.get(seg[1]);
    if (unsupported) throw notImplemented(unsupported);
    if (seg.length === 3 && normalizeId(seg[1])?.startsWith(obj.keyPrefix)) {
      // /sobjects/X/<id>/<relationship or blob field>: a real org's sObject Relationships and Blob resources
      const rel = seg[2].toLowerCase();
      if (obj.byRelationship.has(rel) || obj.childByName.has(rel)) {
        throw notImplemented(`relationship traversal (/sobjects/${obj.name}/<id>/${seg[2]}): query the relationship in SOQL`);
      }
      throw notFound();
    }
    if (seg.length === 2) {
      const id = seg[1];
      switch (method) {
        case 'GET':
          return { status: 200, body: org.records.retrieve(obj.name, id, version, q.get('fields') ?? undefined, ctx.access) };
        case 'PATCH': {
          if (!normalizeId(id))
            throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);
          const existing = org.records.row(obj, normalizeId(id)!);
          if (!existing) throw notFound();
          org.records.update(obj.name, id, json() as Record<string, unknown>, ctx);
          return { status: 204 };
        }
        case 'DELETE': {
          const nid = normalizeId(id);
          if (!nid) throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);
          const existing = org.records.row(obj, nid);
          if (!existing) throw notFound();
          if (existing.IsDeleted === 1) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
          org.records.delete(obj.name, nid, ctx);
          return { status: 204 };
        }
        default:
          throw methodNotAllowed(method);
      }
    }
    if (seg.length === 3) {
      const field = obj.byName.get(seg[1].toLowerCase());
      if (!field || !(field.externalId || field.name === 'Id')) {
        throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${seg[1]}`);
      }
      const value = seg[2];
      // the records the running user can see that have the value
      const rows = org.store
        .all(
          `SELECT * FROM ${quote(obj.name)} WHERE ${quote(field.name)} = ?${obj.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : ''} LIMIT 200`,
          [value]
        )
        .filter((row) => ctx.access.canRead(obj, row));
      // "If the external ID matches multiple existing records, then a 300 error is returned, and no
      // records are created or updated" — with the matching records' URLs (REST API Developer Guide,
      // Upsert Records Using sObject Rows by External ID); the same for GET and DELETE
      if (rows.length > 1) {
        return { status: 300, body: rows.map((r) => `/services/data/v${version}/sobjects/${obj.name}/${String(r.Id)}`) };
      }
      if (method === 'PATCH') {
        const input = json();
        if (typeof input !== 'object' || input === null || Array.isArray(input)) {
          throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
        }
        const r = org.records.upsert(obj.name, field.name, value, input as Record<string, unknown>, ctx);
        return r.created
          ? { status: 201, body: { id: r.id, success: true, errors: [], created: true } }
          : { status: 200, body: { id: r.id, success: true, errors: [], created: false } };
      }
      if (rows.length === 0) throw notFound();
      if (method === 'GET')
        return { status: 200, body: org.records.retrieve(obj.name, String(rows[0].Id), version, q.get('fields') ?? undefined, ctx.access) };
      if (method === 'DELETE') {
        org.records.delete(obj.name, String(rows[0].Id), ctx);
        return { status: 204 };
      }
      throw methodNotAllowed(method);
    }
    throw notFound();
  }
};
