import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startTestOrg, TestOrg } from '../testing';
import { bulkApi, parseCsv } from './bulkApi';

/**
 * Where an ingest job's data lives: its upload and its results in files of the job beside the org's database
 * (`<database>-bulk/`), where each piece lies in the database; an older database's tables of them are moved there.
 */

let dir: string;
let data: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-bulk-'));
  data = path.join(dir, 'org.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const files = () => fs.readdirSync(`${data}-bulk`).sort();
const restart = async (running: TestOrg | undefined) => {
  await running?.close();
  const fileOrg = await startTestOrg({ data, bulk: { recordsPerBatch: 2 } });
  return { fileOrg, fileApi: bulkApi(fileOrg) };
};

// values whose characters take 2 to 4 bytes, a quote, a delimiter and a line break; row 3 fails (no Company)
const names = ['Ångström', 'Łódź', '東京', 'emoji 🚀', 'Zoë "quoted", too', 'multi\nline', 'plain'];
const quoted = (v: string) => `"${v.replace(/"/g, '""')}"`;
const rows = names.map((n, i) => [`${i} ${n}`, i === 3 ? '' : `Ünïcode ${n}`]);
const csv = `LastName,Company\n${rows.map((r) => r.map(quoted).join(',')).join('\n')}\n`;

test('uploads and results are kept in files: kept across restarts, multi-byte values intact, gone with the job', async () => {
  let { fileOrg, fileApi } = await restart(undefined);
  try {
    const job = await fileApi.createIngest({ object: 'Lead', operation: 'insert' });
    await fileApi.upload(job.id, csv);
    const aborted = await fileApi.createIngest({ object: 'Lead', operation: 'insert' });
    await fileApi.upload(aborted.id, csv);
    await fileApi.ok(fileApi.call('PATCH', `/jobs/ingest/${aborted.id}`, JSON.stringify({ state: 'Aborted' })));
    expect(files()).toEqual([`${aborted.id}.upload.csv`, `${job.id}.upload.csv`].sort());

    // the upload of a job still open is kept across a restart, and processed when the job is closed after it
    ({ fileOrg, fileApi } = await restart(fileOrg));
    await fileApi.close(job.id);
    expect(await fileApi.waitFor('ingest', job.id)).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 7,
      numberRecordsFailed: 1
    });
    // every record of the completed job was processed: its upload is dropped, its results are in two files
    expect(files()).toEqual([`${aborted.id}.upload.csv`, `${job.id}.failure.csv`, `${job.id}.success.csv`].sort());

    // the results (written in 4 chunks) are read after a restart byte for byte
    ({ fileOrg, fileApi } = await restart(fileOrg));
    const ok = parseCsv(await fileApi.results(job.id, 'successfulResults'));
    expect(ok.slice(1).map((r) => r.slice(1))).toEqual(rows.filter((_, i) => i !== 3).map((r) => ['true', ...r]));
    const failed = parseCsv(await fileApi.results(job.id, 'failedResults'));
    expect(failed.slice(1)).toEqual([['', 'REQUIRED_FIELD_MISSING:Required fields are missing: [Company]:Company --', ...rows[3]]]);
    expect(await fileApi.results(aborted.id, 'unprocessedrecords')).toBe(csv); // never started: the upload as it came
    const stored = await fileOrg.conn.query<{ LastName: string; Company: string }>(
      "SELECT LastName, Company FROM Lead WHERE Company LIKE 'Ünïcode%'"
    );
    expect(stored.records.map((r) => [r.LastName, r.Company]).sort()).toEqual(rows.filter((_, i) => i !== 3).sort());

    await fileApi.ok(fileApi.call('DELETE', `/jobs/ingest/${job.id}`), 204);
    await fileApi.ok(fileApi.call('DELETE', `/jobs/ingest/${aborted.id}`), 204);
    expect(files()).toEqual([]);
  } finally {
    await fileOrg.close();
  }
});

test('an older database`s tables of uploads and results are moved into files when the org opens it', async () => {
  let { fileOrg, fileApi } = await restart(undefined);
  const done = await fileApi.ingest({ object: 'Lead', operation: 'insert' }, csv);
  const aborted = await fileApi.createIngest({ object: 'Lead', operation: 'insert' });
  await fileApi.upload(aborted.id, csv);
  await fileApi.ok(fileApi.call('PATCH', `/jobs/ingest/${aborted.id}`, JSON.stringify({ state: 'Aborted' })));
  const query = await fileApi.query("SELECT LastName FROM Lead WHERE Company LIKE 'Ünïcode%' ORDER BY LastName");
  const read = async (api: typeof fileApi) => [
    await api.results(done.id, 'successfulResults'),
    await api.results(done.id, 'failedResults'),
    await api.results(aborted.id, 'unprocessedrecords'),
    (await api.ok(api.call('GET', `/jobs/query/${query.id}/results?maxRecords=4`))).text
  ];
  const before = await read(fileApi);
  await fileOrg.close();

  // the database as the org wrote it before jobs' data went to files (a query's results were in files already)
  const db = new DatabaseSync(data);
  db.exec(`
    CREATE TABLE _bulk_upload (job TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (job, seq)) WITHOUT ROWID;
    CREATE TABLE _bulk_result (job TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL,
      rows INTEGER NOT NULL, text TEXT NOT NULL, offsets BLOB, PRIMARY KEY (job, kind, seq)) WITHOUT ROWID;
    CREATE TABLE _bulk_query_piece (job TEXT NOT NULL, seq INTEGER NOT NULL, first INTEGER NOT NULL,
      rows INTEGER NOT NULL, pos INTEGER NOT NULL, bytes INTEGER NOT NULL, offsets BLOB NOT NULL, PRIMARY KEY (job, seq)) WITHOUT ROWID;
  `);
  for (const p of db.prepare('SELECT * FROM _bulk_piece').all()) {
    const [job, kind, seq, first, count] = [String(p.job), String(p.kind), p.seq, p.first, p.rows];
    const file = path.join(`${data}-bulk`, kind === 'query' ? `${job}.csv` : `${job}.${kind}.csv`);
    const bytes = fs.readFileSync(file).subarray(Number(p.pos), Number(p.pos) + Number(p.bytes));
    if (kind === 'query') {
      db.prepare('INSERT INTO _bulk_query_piece VALUES (?, ?, ?, ?, ?, ?, ?)').run(job, seq, first, count, p.pos, p.bytes, p.offsets);
    } else if (kind === 'upload') {
      db.prepare('INSERT INTO _bulk_upload VALUES (?, ?, ?)').run(job, 0, bytes.subarray(0, 40));
      db.prepare('INSERT INTO _bulk_upload VALUES (?, ?, ?)').run(job, 1, bytes.subarray(40));
    } else db.prepare('INSERT INTO _bulk_result VALUES (?, ?, ?, ?, ?, ?, NULL)').run(job, kind, seq, first, count, bytes.toString());
  }
  db.exec('DROP TABLE _bulk_piece');
  db.close();
  for (const name of files()) if (name.split('.').length > 2) fs.rmSync(path.join(`${data}-bulk`, name));

  ({ fileOrg, fileApi } = await restart(undefined));
  try {
    expect(await read(fileApi)).toEqual(before);
    expect(files()).toEqual([`${aborted.id}.upload.csv`, `${done.id}.failure.csv`, `${done.id}.success.csv`, `${query.id}.csv`].sort());
  } finally {
    await fileOrg.close();
  }
  const tables = new DatabaseSync(data, { readOnly: true });
  expect(tables.prepare("SELECT name FROM sqlite_master WHERE name LIKE '\\_bulk%' ESCAPE '\\' ORDER BY name").all()).toEqual([
    { name: '_bulk_job' },
    { name: '_bulk_piece' }
  ]);
  tables.close();
});
