import type { Connection } from 'jsforce';
import { startTestOrg, TestOrg } from '../testing';

/*
 * SOQL date literals through jsforce against the local org: whole local days in the running user's time zone
 * (the local admin's is America/New_York), with the ranges the calendar computes. March 2026 in New York
 * begins at 05:00Z (EST) and ends at 04:00Z on 1 April (EDT, after the 8 March change).
 */
let org: TestOrg;
let conn: Connection;
const NOW = Date.parse('2026-03-25T19:07:00Z'); // Wednesday afternoon in New York

async function insert(type: string, records: Array<Record<string, unknown>>): Promise<void> {
  const res = await conn.request<Array<{ success: boolean }>>({
    method: 'POST',
    url: '/services/data/v64.0/composite/sobjects',
    body: JSON.stringify({ allOrNone: true, records: records.map((r) => ({ attributes: { type }, ...r })) }),
    headers: { 'content-type': 'application/json' }
  });
  expect(res.every((r) => r.success)).toBe(true);
}

beforeAll(async () => {
  org = await startTestOrg({ now: () => new Date(NOW) });
  conn = org.conn;
  const created = ['2026-03-01T04:59:59Z', '2026-03-01T05:00:00Z', '2026-03-25T04:00:00Z', '2026-04-01T03:59:59Z', '2026-04-01T04:00:00Z'];
  await insert(
    'Lead',
    created.map((at, i) => ({ LastName: `Edge${i}`, Company: 'Date Literals', Status: 'New', CreatedDate: at }))
  );
  const closes = ['2025-12-31', '2026-01-01', '2026-03-31', '2026-04-01'];
  await insert(
    'Opportunity',
    closes.map((d) => ({ Name: `Close ${d}`, StageName: 'Prospecting', CloseDate: d }))
  );
});
afterAll(() => org.close());

const leads = async (where: string) =>
  (
    await conn.query<{ LastName: string }>(`SELECT LastName FROM Lead WHERE Company = 'Date Literals' AND ${where} ORDER BY LastName`)
  ).records.map((r) => r.LastName);
const closeDates = async (where: string) =>
  (await conn.query<{ CloseDate: string }>(`SELECT CloseDate FROM Opportunity WHERE ${where} ORDER BY CloseDate`)).records.map(
    (r) => r.CloseDate
  );

test('datetime fields: the literal covers local days from midnight in the user time zone, DST included', async () => {
  expect(await leads('CreatedDate = THIS_MONTH')).toEqual(['Edge1', 'Edge2', 'Edge3']);
  expect(await leads('CreatedDate < THIS_MONTH')).toEqual(['Edge0']);
  expect(await leads('CreatedDate > THIS_MONTH')).toEqual(['Edge4']);
  expect(await leads('CreatedDate = TODAY')).toEqual(['Edge2']);
  expect(await leads('CreatedDate = LAST_N_DAYS:24')).toEqual(['Edge1', 'Edge2']);
  expect(await leads('CreatedDate = THIS_FISCAL_QUARTER')).toEqual(['Edge0', 'Edge1', 'Edge2', 'Edge3']);
  expect(await leads('CreatedDate = NEXT_FISCAL_QUARTER')).toEqual(['Edge4']);
});

test('date fields: whole dates, fiscal literals on the calendar year', async () => {
  expect(await closeDates('CloseDate = THIS_QUARTER')).toEqual(['2026-01-01', '2026-03-31']);
  expect(await closeDates('CloseDate = LAST_FISCAL_QUARTER')).toEqual(['2025-12-31']);
  expect(await closeDates('CloseDate = N_QUARTERS_AGO:1')).toEqual(['2025-12-31']);
  expect(await closeDates('CloseDate = NEXT_N_DAYS:7')).toEqual(['2026-03-31', '2026-04-01']); // 26 March – 1 April
  expect(await closeDates('CloseDate >= THIS_FISCAL_YEAR')).toEqual(['2026-01-01', '2026-03-31', '2026-04-01']);
});

test('a literal reaching past 9999-12-31 is MALFORMED_QUERY, as any bad query', async () => {
  await expect(conn.query('SELECT Id FROM Lead WHERE CreatedDate = NEXT_N_YEARS:99999')).rejects.toMatchObject({
    errorCode: 'MALFORMED_QUERY',
    message: expect.stringContaining('NEXT_N_YEARS:99999')
  });
});
