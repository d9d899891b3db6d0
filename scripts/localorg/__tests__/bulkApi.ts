import type { TestOrg } from '../testing';

/** Raw Bulk API 2.0 calls for tests: status, headers and body as the org sends them (CSV included). */

export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface JobJson {
  id: string;
  state: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
  [key: string]: unknown;
}

export function bulkApi(org: TestOrg) {
  const base = `${org.instanceUrl}/services/data/v${org.conn.version}`;
  async function call(method: string, path: string, body?: string, contentType = 'application/json'): Promise<RawReply> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${org.accessToken}`, ...(body !== undefined ? { 'Content-Type': contentType } : {}) },
      body
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
  }
  const ok = async (p: Promise<RawReply>, status = 200): Promise<RawReply> => {
    const r = await p;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text}`);
    return r;
  };
  async function waitFor(kind: 'ingest' | 'query', id: string): Promise<JobJson> {
    for (let i = 0; i < 2000; i++) {
      const info = (await ok(call('GET', `/jobs/${kind}/${id}`))).json<JobJson>();
      if (['JobComplete', 'Failed', 'Aborted'].includes(info.state)) return info;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`job ${id} did not finish`);
  }
  return {
    call,
    ok,
    waitFor,
    async createIngest(def: Record<string, unknown>): Promise<JobJson> {
      return (await ok(call('POST', '/jobs/ingest', JSON.stringify(def)))).json<JobJson>();
    },
    async upload(id: string, csv: string): Promise<void> {
      await ok(call('PUT', `/jobs/ingest/${id}/batches`, csv, 'text/csv'), 201);
    },
    async close(id: string): Promise<JobJson> {
      return (await ok(call('PATCH', `/jobs/ingest/${id}`, JSON.stringify({ state: 'UploadComplete' })))).json<JobJson>();
    },
    /** Creates, uploads, closes and waits for an ingest job. */
    async ingest(def: Record<string, unknown>, csv: string): Promise<JobJson> {
      const job = await this.createIngest(def);
      await this.upload(job.id, csv);
      await this.close(job.id);
      return waitFor('ingest', job.id);
    },
    async results(id: string, which: 'successfulResults' | 'failedResults' | 'unprocessedrecords'): Promise<string> {
      return (await ok(call('GET', `/jobs/ingest/${id}/${which}`))).text;
    },
    async query(soql: string, operation = 'query'): Promise<JobJson> {
      const job = (await ok(call('POST', '/jobs/query', JSON.stringify({ operation, query: soql })))).json<JobJson>();
      return waitFor('query', job.id);
    }
  };
}

/** CSV text → rows of values (the result files are fully quoted, one row a line unless a value has a line break). */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        value += '"';
        i++;
      } else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(value);
      value = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(value);
      rows.push(row);
      row = [];
      value = '';
    } else value += c;
  }
  if (value !== '' || row.length > 0) {
    row.push(value);
    rows.push(row);
  }
  return rows;
}
