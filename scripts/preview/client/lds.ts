/**
 * A small Lightning Data Service for the preview: wire adapters (LWC's wire-service protocol:
 * `new Adapter(dataCallback)`, `update(config)`, `connect()`, `disconnect()`) that fetch UI API
 * resources from the org through the preview server's `/ui-api` proxy, and the cache semantics the
 * components rely on:
 *  - a wire emits `{ data, error }` once its required parameters are set, and again only when what it
 *    would emit changed; emitted values are deeply frozen, as LDS's are;
 *  - createRecord/updateRecord/deleteRecord (and notifyRecordUpdateAvailable) make every wire that shows
 *    the changed record fetch again before the call resolves: getRecord wires of that record, and
 *    related-list wires whose parent the record points to or whose rows include it;
 *  - refreshApex(value) fetches again the wire that emitted `value`.
 * Errors have the shape LDS rejects with: `{ ok: false, status, statusText, body, headers }`, `body`
 * being the UI API's error body.
 */

export interface WireValue<T> {
  data: T | undefined;
  error: LdsError | undefined;
}

export interface LdsError {
  ok: false;
  status: number;
  statusText: string;
  body: unknown;
  headers: Record<string, string>;
}

/** What changed in the org, as far as the wires are concerned. */
export interface RecordChange {
  /** The changed record's Id. */
  id: string;
  /** Ids the changed record references (its parents), before and after the change. */
  references: string[];
}

/** The preview server's proxy for `/services/data/vXX.X/ui-api`. */
export const UI_API_BASE = '/ui-api';
/** The preview server's proxy for `/services/data/vXX.X/graphql` (the UI API GraphQL endpoint). */
export const GRAPHQL_PATH = '/graphql';
/** Sent with every proxied call; a page on another origin cannot send it without a CORS preflight the proxy never grants. */
export const PREVIEW_HEADER = 'x-closed-loop-preview';

const inflight = new Map<string, Promise<unknown>>();
const metadataCache = new Map<string, Promise<unknown>>();

/** One UI API call through the proxy. Rejects with an LdsError. GETs of the same URL share one request. */
export function uiApi<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  if (method === 'GET') {
    const running = inflight.get(path);
    if (running) return running as Promise<T>;
    const p = send<T>(method, path, body, headers).finally(() => inflight.delete(path));
    inflight.set(path, p);
    return p;
  }
  return send<T>(method, path, body, headers);
}

/** Object info and picklists do not change while a page is open: fetched once per page. */
export function uiApiMetadata<T>(path: string): Promise<T> {
  let p = metadataCache.get(path);
  if (!p) {
    p = uiApi<T>('GET', path);
    p.catch(() => metadataCache.delete(path));
    metadataCache.set(path, p);
  }
  return p as Promise<T>;
}

async function send<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path === GRAPHQL_PATH ? GRAPHQL_PATH : `${UI_API_BASE}${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        [PREVIEW_HEADER]: '1',
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  } catch (e) {
    throw ldsError(0, 'Network error', [{ errorCode: 'NETWORK_ERROR', message: `The preview server did not answer: ${String(e)}` }]);
  }
  const text = await res.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = [{ errorCode: 'INVALID_RESPONSE', message: text.slice(0, 500) }];
    }
  }
  if (!res.ok) throw ldsError(res.status, res.statusText, json);
  return json as T;
}

export function ldsError(status: number, statusText: string, body: unknown): LdsError {
  return { ok: false, status, statusText, body, headers: {} };
}

function toLdsError(e: unknown): LdsError {
  if (e && typeof e === 'object' && (e as LdsError).ok === false && 'status' in e) return e as LdsError;
  return ldsError(400, 'Bad Request', [{ errorCode: 'INVALID_INPUT', message: e instanceof Error ? e.message : String(e) }]);
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/** 15-character form, so 15- and 18-character Ids of one record compare equal. */
export function sameId(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.length >= 15 && b.length >= 15 && a.slice(0, 15) === b.slice(0, 15);
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Record Ids a UI API record representation points to (its lookup values, nested too). */
export function referencesOf(record: unknown): string[] {
  const out: string[] = [];
  const fields = (record as { fields?: Record<string, { value?: unknown }> } | undefined)?.fields ?? {};
  for (const f of Object.values(fields)) {
    const v = f?.value;
    if (typeof v === 'string' && ID_PATTERN.test(v)) out.push(v);
    else if (v && typeof v === 'object') {
      const id = (v as { id?: unknown }).id;
      if (typeof id === 'string') out.push(id);
    }
  }
  return out;
}

type DataCallback<T> = (value: WireValue<T>) => void;

const live = new Set<LdsWireAdapter<unknown, unknown>>();
const emittedBy = new WeakMap<object, LdsWireAdapter<unknown, unknown>>();

/**
 * Base of the preview's LDS wire adapters. Subclasses say what a complete config is (`normalize`,
 * `undefined` while a `$param` is still unset), how to load it, and which record changes concern it.
 */
export abstract class LdsWireAdapter<Config, Data> {
  protected config: Config | undefined;
  private key: string | undefined;
  private connected = false;
  private generation = 0;
  private lastText: string | undefined;
  /** The last value emitted. */
  protected current: WireValue<Data> | undefined;
  /** What the wire emits for a load's outcome (LDS adapters: `{ data, error }`). */
  protected emitted(data: Data | undefined, error: LdsError | undefined): object {
    return { data, error };
  }

  constructor(private readonly callback: DataCallback<Data>) {}

  protected abstract normalize(config: Record<string, unknown>): Config | undefined;
  protected abstract load(config: Config): Promise<Data>;
  abstract affectedBy(change: RecordChange): boolean;

  update(config: Record<string, unknown> | undefined): void {
    const next = config ? this.normalize(config) : undefined;
    const key = next === undefined ? undefined : JSON.stringify(next);
    if (key === this.key) return;
    this.key = key;
    this.config = next;
    if (this.connected && next !== undefined) void this.fetch();
  }

  connect(): void {
    this.connected = true;
    live.add(this as LdsWireAdapter<unknown, unknown>);
    if (this.config !== undefined) void this.fetch();
  }

  disconnect(): void {
    this.connected = false;
    live.delete(this as LdsWireAdapter<unknown, unknown>);
  }

  /** Fetch again now (refreshApex, or a record change that concerns this wire). */
  refresh(): Promise<void> {
    return this.config === undefined ? Promise.resolve() : this.fetch();
  }

  private async fetch(): Promise<void> {
    const config = this.config as Config;
    const generation = ++this.generation;
    let value: WireValue<Data>;
    try {
      value = { data: deepFreeze(await this.load(config)), error: undefined };
    } catch (e) {
      value = { data: undefined, error: deepFreeze(toLdsError(e)) };
    }
    const shaped = this.emitted(value.data, value.error) as WireValue<Data>;
    // a newer config or refresh superseded this request, or the component went away
    if (generation !== this.generation || !this.connected) return;
    const text = JSON.stringify(shaped);
    if (text === this.lastText) return;
    this.lastText = text;
    this.current = Object.freeze(shaped);
    emittedBy.set(this.current, this as LdsWireAdapter<unknown, unknown>);
    this.callback(this.current);
  }
}

/** refreshApex: fetch again the wire that emitted `value`; resolves when its new value is emitted. */
export function refreshWire(value: unknown): Promise<void> {
  const adapter = value && typeof value === 'object' ? emittedBy.get(value) : undefined;
  return adapter ? adapter.refresh() : Promise.resolve();
}

/** Tells every wire showing the changed records to fetch again; resolves once they have emitted. */
export async function notifyChanges(changes: RecordChange[]): Promise<void> {
  const affected = [...live].filter((a) => changes.some((c) => a.affectedBy(c)));
  await Promise.allSettled(affected.map((a) => a.refresh()));
}

/** A schema import (`{ objectApiName, fieldApiName }`) or a qualified field name, as `Object.Field`. */
export function qualifiedField(field: unknown): string | undefined {
  if (typeof field === 'string') return field;
  if (field && typeof field === 'object') {
    const f = field as { objectApiName?: unknown; fieldApiName?: unknown };
    if (typeof f.objectApiName === 'string' && typeof f.fieldApiName === 'string') return `${f.objectApiName}.${f.fieldApiName}`;
  }
  return undefined;
}

/** A fields parameter (one field or a list) as a sorted list of qualified names. */
export function fieldList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map(qualifiedField).filter((f): f is string => !!f);
}

export function objectName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { objectApiName?: unknown }).objectApiName === 'string') {
    return (value as { objectApiName: string }).objectApiName;
  }
  return undefined;
}

export function query(params: Record<string, string | string[] | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    const s = Array.isArray(v) ? v.join(',') : String(v);
    if (s !== '') q.set(k, s);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}
