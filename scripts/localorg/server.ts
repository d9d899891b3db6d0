import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { API_VERSION, DEMO_DIR, PACKAGE_DIR } from '../project';
import { describeSObject, globalDescribe, sobjectBasicInfo } from './describe';
import { DeployOptions, DeployResult, loadModel, newDeployResult, runDeploy } from './deploy';
import { ApiError, notFound, SfError } from './errors';
import { runGraphql } from './graphql/run';
import { makeId, normalizeId } from './ids';
import { QueryEngine } from './soql/queryEngine';
import type { DmlContext } from './records/dmlContext';
import { Records } from './records/dml';
import { buildSchema, Schema } from './schema';
import { sourceZip } from './sourceZip';
import { quote, Store } from './store';
import { UiApi } from './uiapi';
import { syncValueObjects } from './valueObjects';

export interface LocalOrgOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** SQLite file, or `:memory:` (default). */
  data?: string;
  /** Where to write `{instanceUrl, accessToken, apiVersion}` (mode 0600); not written when absent. */
  connectionFile?: string;
  /** Source-format package directories deployed into an empty org (default force-app + config/demo). */
  sourceDirs?: string[];
  /** The org's clock (tests); default the real time. */
  now?: () => Date;
  /** Page every query with LIMIT/OFFSET as before keyset paging (a bench baseline only). */
  offsetPaging?: boolean;
}

export interface ConnectionInfo {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
}

export interface RunningLocalOrg extends ConnectionInfo {
  port: number;
  /** The running user (the token's user), "Local Admin". */
  userId: string;
  close(): Promise<void>;
}

class RollbackWith extends Error {
  constructor(readonly value: unknown) {
    super('rollback');
  }
}

interface Reply {
  status: number;
  body?: unknown;
}

const MAX_BODY = 64 * 1024 * 1024;
/** The local org's (fixed) organization id. */
const ORG_ID = '00DLo0000000001AAA';
const COLLECTION_LIMIT = 200;

/** The local org: schema + records + SOQL behind Salesforce's REST URLs. */
export class LocalOrg {
  schema: Schema;
  readonly records: Records;
  readonly queries: QueryEngine;
  readonly ui: UiApi;
  userId = '';
  private readonly deploys = new Map<string, DeployResult>();
  private readonly tokenHash: Buffer;

  constructor(
    readonly store: Store,
    readonly accessToken: string,
    private readonly clock: () => Date,
    opts: { offsetPaging?: boolean } = {}
  ) {
    this.schema = buildSchema(loadModel(store));
    store.transaction(() => store.syncTables(this.schema));
    this.records = new Records(store, this.schema);
    this.queries = new QueryEngine(store, opts);
    this.ui = new UiApi(this);
    this.tokenHash = createHash('sha256').update(accessToken).digest();
  }

  now(): Date {
    return this.clock();
  }

  ctx(): DmlContext {
    return { userId: this.userId, now: this.now(), timeZone: () => this.timeZone() };
  }

  timeZone(): string {
    const row = this.userId ? this.store.get('SELECT "TimeZoneSidKey" AS tz FROM "User" WHERE "Id" = ?', [this.userId]) : undefined;
    return (row?.tz as string | undefined) ?? 'America/New_York';
  }

  setSchema(schema: Schema): void {
    this.schema = schema;
    this.records.setSchema(schema);
    if (this.userId) this.store.transaction(() => syncValueObjects(this.store, schema, this.ctx()));
  }

  /** First start: profiles, the running user "Local Admin" and the default BusinessHours. */
  bootstrap(): void {
    this.store.transaction(() => {
      const existing = this.store.kvGet('runningUserId');
      if (existing) {
        this.userId = existing;
        syncValueObjects(this.store, this.schema, this.ctx());
        return;
      }
      const now = this.now().toISOString();
      const profile = (name: string) => {
        const id = makeId('00e', this.store.nextSeq('id:00e'));
        this.store.run(
          'INSERT INTO "Profile" ("Id", "IsDeleted", "Name", "UserType", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp") VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)',
          [id, name, 'Standard', now, '', now, '', now]
        );
        return id;
      };
      const adminProfile = profile('System Administrator');
      profile('Standard User');
      const userId = makeId('005', this.store.nextSeq('id:005'));
      this.userId = userId;
      this.store.run(
        `INSERT INTO "User" ("Id", "IsDeleted", "Username", "LastName", "FirstName", "Name", "Email", "Alias", "CommunityNickname", "IsActive",
          "TimeZoneSidKey", "LocaleSidKey", "EmailEncodingKey", "LanguageLocaleKey", "ProfileId", "UserType", "CreatedDate", "CreatedById",
          "LastModifiedDate", "LastModifiedById", "SystemModstamp") VALUES (?, 0, ?, 'Admin', 'Local', 'Local Admin', ?, 'ladmin', 'ladmin', 1,
          'America/New_York', 'en_US', 'UTF-8', 'en_US', ?, 'Standard', ?, ?, ?, ?, ?)`,
        [userId, 'admin@closed-loop.local', 'admin@closed-loop.local', adminProfile, now, userId, now, userId, now]
      );
      this.store.run('UPDATE "Profile" SET "CreatedById" = ?, "LastModifiedById" = ?', [userId, userId]);
      const bh = makeId('01m', this.store.nextSeq('id:01m'));
      const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
      this.store.run(
        `INSERT INTO "BusinessHours" ("Id", "IsDeleted", "Name", "IsActive", "IsDefault", "TimeZoneSidKey", ${days
          .map((d) => `"${d}StartTime", "${d}EndTime"`)
          .join(', ')}, "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp")
          VALUES (?, 0, 'Default', 1, 1, 'America/New_York', ${days.map(() => "'00:00:00.000Z', '00:00:00.000Z'").join(', ')}, ?, ?, ?, ?, ?)`,
        [bh, now, userId, now, userId, now]
      );
      this.store.kvSet('runningUserId', userId);
      syncValueObjects(this.store, this.schema, this.ctx());
    });
  }

  private userName(): string {
    return String(this.store.get('SELECT "Name" FROM "User" WHERE "Id" = ?', [this.userId])?.Name ?? '');
  }

  /** Starts a deploy (Metadata REST); returns its id at once, the result fills in when done. */
  startDeploy(zip: Buffer, options: DeployOptions): DeployResult {
    const id = makeId('0Af', this.store.nextSeq('id:0Af'));
    const result = newDeployResult(id, this.userId, this.userName(), options);
    this.deploys.set(id, result);
    result.status = 'InProgress';
    result.done = false;
    void this.finishDeploy(zip, options, result);
    return result;
  }

  /** Runs a deploy to the end (the self-deploy on first start uses this, as the endpoint does). */
  async deploy(zip: Buffer, options: DeployOptions = {}): Promise<DeployResult> {
    const id = makeId('0Af', this.store.nextSeq('id:0Af'));
    const result = newDeployResult(id, this.userId, this.userName(), options);
    this.deploys.set(id, result);
    await this.finishDeploy(zip, options, result);
    return result;
  }

  private async finishDeploy(zip: Buffer, options: DeployOptions, result: DeployResult): Promise<void> {
    try {
      const schema = await runDeploy(this.store, zip, options, result);
      if (schema) this.setSchema(schema);
    } catch (e) {
      result.status = 'Failed';
      result.done = true;
      result.success = false;
      result.errorMessage = e instanceof Error ? e.message : String(e);
      result.errorStatusCode = 'UNKNOWN_EXCEPTION';
    }
    this.store.run('INSERT OR REPLACE INTO _deploy (id, result) VALUES (?, ?)', [result.id, JSON.stringify(result)]);
  }

  deployStatus(id: string): DeployResult | undefined {
    const live = this.deploys.get(id);
    if (live) return live;
    const row = this.store.get('SELECT result FROM _deploy WHERE id = ?', [id]);
    return row ? (JSON.parse(String(row.result)) as DeployResult) : undefined;
  }

  hasDeployed(): boolean {
    return this.store.kvGet('selfDeployed') !== undefined || this.store.get('SELECT 1 AS x FROM _component LIMIT 1') !== undefined;
  }

  // ---- HTTP --------------------------------------------------------------------------------

  authorized(header: string | undefined): boolean {
    const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header ?? '');
    if (!m) return false;
    const given = createHash('sha256').update(m[1].trim()).digest();
    return timingSafeEqual(given, this.tokenHash);
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      if (!this.authorized(req.headers.authorization)) {
        reply = { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
      } else {
        const body = await readBody(req);
        reply = await this.route(
          req.method ?? 'GET',
          new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
          body,
          String(req.headers['content-type'] ?? '')
        );
      }
    } catch (e) {
      if (e instanceof ApiError) reply = { status: e.status, body: e.toBody() };
      else {
        reply = { status: 500, body: [{ message: e instanceof Error ? e.message : String(e), errorCode: 'UNKNOWN_EXCEPTION' }] };
      }
    }
    if (reply.body === undefined) {
      res.writeHead(reply.status);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async route(method: string, url: URL, body: Buffer, contentType: string): Promise<Reply> {
    const p = url.pathname.replace(/\/+$/, '');
    if (p === '/services/data') {
      return { status: 200, body: versions() };
    }
    if (p === '/services/oauth2/userinfo') {
      return { status: 200, body: this.userInfo(url) };
    }
    if (/^\/id\/00D[A-Za-z0-9]+\/005[A-Za-z0-9]+$/.test(p)) {
      return { status: 200, body: this.identity(url) };
    }
    const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(p);
    if (!m) throw notFound();
    const version = m[1];
    const rest = m[2] ?? '';
    const seg = rest.split('/').filter(Boolean).map(decodeURIComponent);
    if (seg[0] === 'metadata' && seg[1] === 'deployRequest') return this.metadataRoute(method, seg, url, body, contentType, version);
    const json = () => parseJson(body);
    return this.inTransaction(() => this.dispatch(method, seg, url, json, version));
  }

  private inTransaction(fn: () => Reply): Reply {
    try {
      return this.store.transaction(fn);
    } catch (e) {
      if (e instanceof RollbackWith) return e.value as Reply;
      throw e;
    }
  }

  private dispatch(method: string, seg: string[], url: URL, json: () => unknown, version: string): Reply {
    const q = url.searchParams;
    switch (seg[0]) {
      case undefined:
        return { status: 200, body: { ...resources(version), identity: `${url.origin}/id/${ORG_ID}/${this.userId}` } };
      case 'limits':
        return { status: 200, body: limits() };
      case 'query':
      case 'queryAll': {
        if (method !== 'GET') throw methodNotAllowed(method);
        if (seg[1]) return { status: 200, body: this.queries.more(seg[1]) };
        const soql = q.get('q');
        if (!soql) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
        return {
          status: 200,
          body: this.queries.run(soql, {
            schema: this.schema,
            version,
            now: this.now(),
            tz: this.timeZone(),
            includeDeleted: seg[0] === 'queryAll'
          })
        };
      }
      case 'sobjects':
        return this.sobjects(method, seg.slice(1), q, json, version);
      case 'composite':
        if (seg[1] === 'sobjects') return this.collections(method, seg.slice(2), q, json, version);
        throw notFound();
      case 'ui-api':
        return this.ui.route(method, seg.slice(1), q, json, version);
      case 'graphql':
        // the UI API GraphQL endpoint: 200 with {data, errors}, also for queries it rejects
        if (method !== 'POST' || seg.length !== 1) throw method !== 'POST' ? methodNotAllowed(method) : notFound();
        return {
          status: 200,
          body: runGraphql(json(), { schema: this.schema, queries: this.queries, version, now: this.now(), tz: this.timeZone() })
        };
      default:
        throw notFound();
    }
  }

  private sobjects(method: string, seg: string[], q: URLSearchParams, json: () => unknown, version: string): Reply {
    if (seg.length === 0) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return { status: 200, body: globalDescribe(this.schema, version) };
    }
    const obj = this.schema.get(seg[0]);
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
        const id = this.records.insert(obj.name, input, this.ctx());
        return { status: 201, body: { id, success: true, errors: [] } };
      }
      throw methodNotAllowed(method);
    }
    if (seg[1] === 'describe' && seg.length === 2) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return { status: 200, body: describeSObject(obj, version) };
    }
    if (seg.length === 2) {
      const id = seg[1];
      switch (method) {
        case 'GET':
          return { status: 200, body: this.records.retrieve(obj.name, id, version, q.get('fields') ?? undefined) };
        case 'PATCH': {
          if (!normalizeId(id))
            throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);
          const existing = this.records.row(obj, normalizeId(id)!);
          if (!existing) throw notFound();
          this.records.update(obj.name, id, json() as Record<string, unknown>, this.ctx());
          return { status: 204 };
        }
        case 'DELETE': {
          const nid = normalizeId(id);
          if (!nid) throw new ApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${id}`);
          const existing = this.records.row(obj, nid);
          if (!existing) throw notFound();
          if (existing.IsDeleted === 1) throw new ApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
          this.records.delete(obj.name, nid, this.ctx());
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
      if (method === 'PATCH') {
        const r = this.records.upsert(obj.name, field.name, value, json() as Record<string, unknown>, this.ctx());
        return r.created
          ? { status: 201, body: { id: r.id, success: true, errors: [], created: true } }
          : { status: 200, body: { id: r.id, success: true, errors: [], created: false } };
      }
      const rows = this.store.all(
        `SELECT "Id" FROM ${quote(obj.name)} WHERE ${quote(field.name)} = ?${obj.byName.has('isdeleted') ? ' AND "IsDeleted" = 0' : ''} LIMIT 2`,
        [value]
      );
      if (rows.length === 0) throw notFound();
      if (rows.length > 1) {
        return { status: 300, body: rows.map((r) => `/services/data/v${version}/sobjects/${obj.name}/${String(r.Id)}`) };
      }
      if (method === 'GET')
        return { status: 200, body: this.records.retrieve(obj.name, String(rows[0].Id), version, q.get('fields') ?? undefined) };
      if (method === 'DELETE') {
        this.records.delete(obj.name, String(rows[0].Id), this.ctx());
        return { status: 204 };
      }
      throw methodNotAllowed(method);
    }
    throw notFound();
  }

  private collections(method: string, seg: string[], q: URLSearchParams, json: () => unknown, version: string): Reply {
    const ctx = this.ctx();
    type Result = {
      id?: string | null;
      success: boolean;
      errors: Array<{ statusCode: string; message: string; fields: string[] }>;
      created?: boolean;
    };
    const failure = (e: unknown): Result => {
      if (e instanceof ApiError) return { success: false, errors: [{ statusCode: e.errorCode, message: e.message, fields: e.fields }] };
      throw e;
    };
    const finish = (results: Result[], allOrNone: boolean): Reply => {
      if (allOrNone && results.some((r) => !r.success)) {
        const rolled = results.map((r) =>
          r.success
            ? {
                id: null,
                success: false,
                errors: [
                  {
                    statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                    message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
                    fields: []
                  }
                ]
              }
            : { ...r, id: null }
        );
        throw new RollbackWith({ status: 200, body: rolled });
      }
      return { status: 200, body: results };
    };
    const each = <T>(items: T[], allOrNone: boolean, fn: (item: T) => Result): Reply => {
      if (items.length > COLLECTION_LIMIT) {
        throw new ApiError(
          400,
          'EXCEEDED_ID_LIMIT',
          `record limit reached. cannot submit more than ${COLLECTION_LIMIT} records into this call`
        );
      }
      const results = items.map((item) => {
        try {
          return this.store.savepoint(() => fn(item));
        } catch (e) {
          return failure(e);
        }
      });
      return finish(results, allOrNone);
    };
    if (method === 'DELETE' && seg.length === 0) {
      const ids = (q.get('ids') ?? '').split(',').filter(Boolean);
      const allOrNone = q.get('allOrNone') === 'true';
      return each(ids, allOrNone, (id) => ({ id: this.records.delete(undefined, id, ctx), success: true, errors: [] }));
    }
    const body = json() as { allOrNone?: boolean; records?: Array<Record<string, unknown>>; ids?: string[]; fields?: string[] };
    if (typeof body !== 'object' || body === null) throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    const allOrNone = body.allOrNone === true;
    const typeOf = (r: Record<string, unknown>) => {
      const t = (r.attributes as { type?: string } | undefined)?.type;
      if (!t) throw new ApiError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
      return t;
    };
    if (method === 'POST' && seg.length === 1) {
      // retrieve collection
      const obj = this.schema.get(seg[0]);
      if (!obj) throw notFound();
      const ids = body.ids ?? [];
      const fields = (body.fields ?? []).join(',');
      return {
        status: 200,
        body: ids.map((id) => {
          try {
            return this.records.retrieve(obj.name, id, version, fields || undefined);
          } catch (e) {
            if (e instanceof ApiError && e.status === 404) return null;
            throw e;
          }
        })
      };
    }
    const records = body.records;
    if (!Array.isArray(records)) throw new ApiError(400, 'JSON_PARSER_ERROR', 'records is required');
    if (method === 'POST' && seg.length === 0) {
      return each(records, allOrNone, (r) => {
        if ('Id' in r || 'id' in r) throw new ApiError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
        return { id: this.records.insert(typeOf(r), r, ctx, false), success: true, errors: [] };
      });
    }
    if (method === 'PATCH' && seg.length === 0) {
      return each(records, allOrNone, (r) => {
        const { id, Id, ...rest } = r;
        const recId = (Id ?? id) as string | undefined;
        if (!recId) throw new ApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []);
        return { id: this.records.update(typeOf(r), recId, rest, ctx, false), success: true, errors: [] };
      });
    }
    if (method === 'PATCH' && seg.length === 2) {
      const obj = this.schema.get(seg[0]);
      if (!obj) throw notFound();
      return each(records, allOrNone, (r) => {
        const key = Object.keys(r).find((k) => k.toLowerCase() === seg[1].toLowerCase());
        const value = key ? r[key] : undefined;
        const t = (r.attributes as { type?: string } | undefined)?.type ?? obj.name;
        const res = this.records.upsert(t, seg[1], value, r, ctx, false);
        return { id: res.id, success: true, errors: [], created: res.created };
      });
    }
    throw methodNotAllowed(method);
  }

  private async metadataRoute(method: string, seg: string[], url: URL, body: Buffer, contentType: string, version: string): Promise<Reply> {
    if (seg.length === 2 && method === 'POST') {
      const parts = parseMultipart(body, contentType);
      const file = parts.find((p) => p.name === 'file');
      const optsPart = parts.find((p) => p.name === 'json' || p.name === 'entity_content');
      if (!file) throw new ApiError(400, 'INVALID_MULTIPART_REQUEST', 'the request must contain a file part with the zip');
      let options: DeployOptions = {};
      if (optsPart) {
        try {
          options = ((JSON.parse(optsPart.data.toString('utf8')) as { deployOptions?: DeployOptions }).deployOptions ??
            {}) as DeployOptions;
        } catch {
          throw new ApiError(400, 'JSON_PARSER_ERROR', 'deployOptions is not valid JSON');
        }
      }
      const result = this.startDeploy(file.data, options);
      return {
        status: 201,
        body: {
          id: result.id,
          validatedDeployRequestId: null,
          deployOptions: options,
          deployResult: { ...result, details: null },
          url: `/services/data/v${version}/metadata/deployRequest/${result.id}`
        }
      };
    }
    if (seg.length === 3 && method === 'GET') {
      const result = this.deployStatus(seg[2]);
      if (!result) throw notFound();
      const details = url.searchParams.get('includeDetails') === 'true';
      return {
        status: 200,
        body: {
          id: result.id,
          validatedDeployRequestId: null,
          deployOptions: null,
          deployResult: details ? result : { ...result, details: null },
          url: `/services/data/v${version}/metadata/deployRequest/${result.id}${details ? '?includeDetails=true' : ''}`
        }
      };
    }
    throw methodNotAllowed(method);
  }

  private identity(url: URL) {
    const row = this.store.get('SELECT "Id", "Username", "Name", "Email", "TimeZoneSidKey" FROM "User" WHERE "Id" = ?', [this.userId])!;
    return {
      id: `${url.origin}/id/${ORG_ID}/${String(row.Id)}`,
      asserted_user: true,
      user_id: row.Id,
      organization_id: ORG_ID,
      username: row.Username,
      nick_name: 'ladmin',
      display_name: row.Name,
      email: row.Email,
      timezone: row.TimeZoneSidKey,
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      urls: resources(API_VERSION)
    };
  }

  private userInfo(url: URL) {
    const row = this.store.get('SELECT "Id", "Username", "Name", "Email", "TimeZoneSidKey" FROM "User" WHERE "Id" = ?', [this.userId])!;
    return {
      sub: `${url.origin}/id/${ORG_ID}/${String(row.Id)}`,
      user_id: row.Id,
      organization_id: ORG_ID,
      preferred_username: row.Username,
      name: row.Name,
      email: row.Email,
      zoneinfo: row.TimeZoneSidKey,
      locale: 'en_US'
    };
  }
}

function methodNotAllowed(method: string): ApiError {
  return new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,PATCH,POST,DELETE,HEAD`);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'REQUEST_ENTITY_TOO_LARGE', 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', `Unexpected character in the request body: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Minimal multipart/form-data parser for the deploy request. */
export function parseMultipart(body: Buffer, contentType: string): Array<{ name: string; data: Buffer }> {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new ApiError(400, 'INVALID_MULTIPART_REQUEST', 'expected multipart/form-data with a boundary');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: Array<{ name: string; data: Buffer }> = [];
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.slice(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) break;
    const headers = body.slice(start, headerEnd).toString('utf8');
    const next = body.indexOf(boundary, headerEnd + 4);
    if (next < 0) break;
    const data = body.slice(headerEnd + 4, next - 2);
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    parts.push({ name, data });
    pos = next;
  }
  return parts;
}

function versions() {
  const out = [];
  for (let v = 20; v <= 66; v++) {
    out.push({ label: `v${v}.0`, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

function resources(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  return {
    limits: `${base}/limits`,
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    composite: `${base}/composite`,
    'ui-api': `${base}/ui-api`,
    graphql: `${base}/graphql`,
    metadata: `${base}/metadata`
  };
}

function limits() {
  const l = (max: number, remaining = max) => ({ Max: max, Remaining: remaining });
  return {
    DailyApiRequests: l(5000000),
    DailyBulkV2QueryJobs: l(10000),
    DailyBulkV2QueryFileStorageMB: l(976562),
    DataStorageMB: l(1024 * 1024),
    FileStorageMB: l(1024 * 1024),
    HourlyODataCallout: l(10000),
    MassEmail: l(5000),
    SingleEmail: l(5000),
    ConcurrentAsyncGetReportInstances: l(200),
    ConcurrentSyncReportRuns: l(20)
  };
}

/** Starts the local org HTTP server on 127.0.0.1. */
export async function startLocalOrg(opts: LocalOrgOptions = {}): Promise<RunningLocalOrg> {
  const data = opts.data ?? ':memory:';
  if (data !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(data)), { recursive: true });
  const store = new Store(data);
  const token = `${ORG_ID.slice(0, 15)}!${randomBytes(32).toString('base64url')}`;
  let org: LocalOrg;
  try {
    org = new LocalOrg(store, token, opts.now ?? (() => new Date()), { offsetPaging: opts.offsetPaging });
    org.bootstrap();
    if (!org.hasDeployed()) {
      const zip = await sourceZip(opts.sourceDirs ?? [PACKAGE_DIR, DEMO_DIR], API_VERSION);
      const result = await org.deploy(zip, { rollbackOnError: true, singlePackage: true });
      if (!result.success) {
        const first = result.details.componentFailures[0];
        throw new Error(
          `the package does not deploy into the local org: ${first ? `${first.fileName}: ${first.problem}` : (result.errorMessage ?? 'unknown error')}`
        );
      }
      store.kvSet('selfDeployed', new Date().toISOString());
    }
  } catch (e) {
    store.close();
    throw e;
  }
  const server = http.createServer((req, res) => {
    void org.handle(req, res);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const info: ConnectionInfo = { instanceUrl: `http://127.0.0.1:${port}`, accessToken: token, apiVersion: API_VERSION };
  if (opts.connectionFile) writeConnectionFile(opts.connectionFile, info);
  let closed = false;
  return {
    ...info,
    port,
    userId: org.userId,
    async close() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    }
  };
}

export function writeConnectionFile(file: string, info: ConnectionInfo): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

export type { SfError };
