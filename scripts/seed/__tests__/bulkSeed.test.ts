/**
 * Seeding through Bulk API 2.0 ingest jobs (what `seed --local` does for a large volume) gives the same records
 * as seeding through sObject collections: two local orgs seeded alike, one with every object on Bulk and the
 * leads loaded in batches (as a large seed does), the other in one go.
 */
import type { Connection } from 'jsforce';
import { startTestOrg } from '../../localorg/testing';
import type { TestOrg } from '../../localorg/testing';
import { bulk2Client } from '../../org/data/bulkClient';
import { OrgData, soqlTrusted } from '../../org/data';
import { runSeed } from '..';
import type { SeedProgress, SeedSummary } from '..';

const NOW = '2026-03-04T16:00:00.000Z';
let rest: TestOrg;
let bulk: TestOrg;
let viaRest: SeedSummary;
let viaBulk: SeedSummary;
let reseed: SeedSummary;
const progress: SeedProgress[] = [];
const progressAtOnce: SeedProgress[] = [];

beforeAll(async () => {
  [rest, bulk] = await Promise.all([startTestOrg({ now: () => new Date(NOW) }), startTestOrg({ now: () => new Date(NOW) })]);
  viaRest = await runSeed(rest.conn, {
    mode: 'local',
    seed: 7,
    leads: 80,
    now: NOW,
    bulk: false,
    onProgress: (p) => progressAtOnce.push(p)
  });
  viaBulk = await runSeed(bulk.conn, {
    mode: 'local',
    seed: 7,
    leads: 80,
    now: NOW,
    bulk: bulk2Client(bulk.conn, { maxPollInterval: 20 }),
    bulkIngestThreshold: 0,
    batchLeads: 30,
    onProgress: (p) => progress.push(p)
  });
  // seeding again resets the org first: on Bulk, the reset's deletes go through jobs too
  reseed = await runSeed(bulk.conn, {
    mode: 'local',
    seed: 7,
    leads: 80,
    now: NOW,
    bulk: bulk2Client(bulk.conn, { maxPollInterval: 20 }),
    bulkIngestThreshold: 0,
    batchLeads: 30
  });
}, 300_000);
afterAll(async () => {
  await rest?.close();
  await bulk?.close();
});

async function rows(conn: Connection, text: string): Promise<unknown[]> {
  const records = await new OrgData(conn, { bulk: false }).all(soqlTrusted(text), { max: 100_000 });
  return records.map(
    ({ attributes: _a, ...r }) => JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'url' ? undefined : v))) as unknown
  );
}

const QUERIES = [
  'SELECT Email, FirstName, LastName, Company, Status, LeadSource, Owner.Name, CreatedDate, IsConverted, ConvertedDate, Quality_Rating__c FROM Lead ORDER BY Email',
  'SELECT Lead.Email, Field, OldValue, NewValue, CreatedDate FROM LeadHistory ORDER BY Lead.Email, CreatedDate, Field',
  'SELECT Subject, Status, ActivityDate, Owner.Name, CreatedDate FROM Task ORDER BY CreatedDate, Subject, Owner.Name',
  'SELECT Name, StageName, Amount, CloseDate, Owner.Name, CreatedDate FROM Opportunity ORDER BY Name, CreatedDate',
  'SELECT Lead__r.Email, Rating__c, Reason__c, CreatedDate FROM Lead_Quality_Feedback__c ORDER BY Lead__r.Email, CreatedDate'
];

test('the same records, seeded through Bulk ingest jobs in batches of leads or through collections at once', async () => {
  expect(viaBulk.planned).toEqual(viaRest.planned);
  expect(viaBulk.created).toEqual(viaRest.created);
  expect(viaBulk.created.Lead).toBe(80);
  // the progress total, estimated until the last batch is made, ends where a load of the whole plan at once ends
  const last = progress[progress.length - 1];
  expect(last.done).toBe(last.total);
  expect(last.total).toBe(progressAtOnce[progressAtOnce.length - 1].total);
  expect(progress.every((p, i) => i === 0 || p.done >= progress[i - 1].done)).toBe(true);
  expect(reseed.deleted.Lead).toBe(80);
  expect(reseed.created.Lead).toBe(80);
  for (const q of QUERIES) {
    const [a, b] = await Promise.all([rows(rest.conn, q), rows(bulk.conn, q)]);
    expect(a.length).toBeGreaterThan(0);
    expect({ q, rows: b }).toEqual({ q, rows: a });
  }
});
