/**
 * A full read of a large org goes to Bulk API 2.0 query jobs — one per object, joined to their lead or
 * opportunity in partitions — and gives the sync exactly the records the REST read with child subqueries
 * gives: the same facts, timers and feedback stamps, for live, converted and deleted leads, the activities a
 * conversion moved, a won opportunity's stage history and the campaign memberships of feedback still to stamp.
 */
import { startTestOrg } from '../../localorg/testing';
import type { TestOrg } from '../../localorg/testing';
import { bulk2Client } from '../../org/data/bulkClient';
import { OrgData } from '../../org/data';
import { LOCAL_SYNC_USER } from '../../org/personas';
import { runSeed } from '../../seed';
import { runSync } from '../sync';
import { RecordReader } from '../syncRecords';
import type { RecordPage } from '../syncRecords';
import type { SlaObject } from '../clock';

const NOW = '2026-03-04T16:00:00.000Z';
const STAGES = { closed: ['Closed Won', 'Closed Lost'], won: ['Closed Won'] };

let org: TestOrg;

beforeAll(async () => {
  org = await startTestOrg({ now: () => new Date(NOW) });
  await runSeed(org.conn, { mode: 'local', seed: 7, leads: 400, now: NOW });
  // timers exist (a first sync), then some leads are deleted (their timers are found by key) and a rep's
  // feedback waits for its stamp (its campaign memberships are read)
  const syncUser = await org.connectionAs(LOCAL_SYNC_USER.Username);
  await runSync(syncUser, { now: NOW, clock: () => Date.parse(NOW), bulk: false });
  const gone = await org.conn.query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false ORDER BY Id LIMIT 6');
  await org.conn.sobject('Lead').destroy(gone.records.map((r) => r.Id));
  const member = await org.conn.query<{ LeadId: string }>(
    'SELECT LeadId FROM CampaignMember WHERE LeadId != null ORDER BY Id DESC LIMIT 1'
  );
  await org.conn.sobject('Lead_Quality_Feedback__c').create({ Lead__c: member.records[0].LeadId, Rating__c: 2 });
}, 300_000);

afterAll(async () => {
  await org?.close();
});

async function readAll(data: OrgData, recordsPerPartition?: number): Promise<{ pages: RecordPage[]; records: unknown[] }> {
  const reader = new RecordReader(data, STAGES, { maxGraceMinutes: 60, ...(recordsPerPartition ? { recordsPerPartition } : {}) });
  const pages: RecordPage[] = [];
  for (const object of ['Lead', 'Opportunity'] as SlaObject[]) for await (const page of reader.all(object)) pages.push(page);
  const records = pages
    .flatMap((p) => p.records)
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    // the row as read (its attributes' url is the only part the two APIs write differently)
    .map((r) => JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'attributes' ? undefined : v))) as unknown);
  return { pages, records };
}

test('a read in Bulk gives the sync the records the REST read gives, partition by partition', async () => {
  const rest = await readAll(new OrgData(org.conn, { bulk: false }));
  const answeredBefore = org.answered.length;
  const bulk = await readAll(
    new OrgData(org.conn, { bulk: bulk2Client(org.conn, { maxPollInterval: 20 }), bulkQueryThreshold: 0 }),
    // partitions of 60 records: several, so they spill to files and are read back one at a time
    60
  );
  expect(bulk.records.length).toBe(rest.records.length);
  expect(bulk.records).toEqual(rest.records);

  const leads = rest.records as Array<{ object: string; deleted: boolean; converted: boolean; stamps: unknown[] }>;
  // the cases the joined read has to route: deleted and converted leads, a stamp that needs memberships
  expect(leads.filter((r) => r.object === 'Lead' && r.deleted)).toHaveLength(6);
  expect(leads.filter((r) => r.converted).length).toBeGreaterThan(10);
  expect(leads.filter((r) => r.stamps.length > 0).length).toBeGreaterThan(0);
  // touches the conversion moved to the contact, opportunity or account count for the lead
  const moved = (rest.records as Array<{ facts: { events: Array<{ type: string; id?: string }> }; row: Record<string, unknown> }>).filter(
    (r) => {
      const own = new Set(
        ['Tasks', 'Events'].flatMap((rel) => ((r.row[rel] as { records: Array<{ Id: string }> } | null)?.records ?? []).map((a) => a.Id))
      );
      return r.facts.events.some((e) => e.type === 'activity' && !own.has(e.id ?? ''));
    }
  );
  expect(moved.length).toBeGreaterThan(5);

  // it was read with query jobs, a partition a page, none larger than asked
  expect(bulk.pages.every((p) => p.inBulk === true && p.records.length <= 60)).toBe(true);
  expect(bulk.pages.length).toBeGreaterThan(7);
  const jobs = org.answered.slice(answeredBefore).filter((a) => a.method === 'POST' && a.path.endsWith('/jobs/query'));
  // Lead, LeadHistory, Task, Event, feedback, timers, won stage history, memberships; Opportunity, its
  // history, reviews and timers
  expect(jobs).toHaveLength(12);
}, 120_000);
