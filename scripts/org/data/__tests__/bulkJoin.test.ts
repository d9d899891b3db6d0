import { joinedPages } from '../bulkJoin';
import type { JoinSpec, StartRead } from '../bulkJoin';
import type { OrgRecord } from '../paging';
import { soql } from '../soql';
import type { StartedRead } from '../bulkTypes';

/*
 * The joined read's partitions (what a large org's sync and what-if read through): parents get exactly their
 * children whether everything stays in memory or is spilled to files, whatever the values hold; the next query
 * job is started while the one before is read, and a job started but never read is cancelled.
 */

interface Log {
  started: string[];
  read: string[];
  cancelled: string[];
}

/** Query jobs over fixed rows: each query's text names its rows. */
function jobs(rows: Record<string, OrgRecord[]>, log: Log, pageSize = 1000): StartRead {
  return (q): StartedRead => {
    const name = q.text;
    log.started.push(name);
    return {
      done: Promise.resolve(),
      async *pages() {
        log.read.push(name);
        const all = rows[name] ?? [];
        for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize).map((r) => structuredClone(r));
      },
      cancel: () => {
        log.cancelled.push(name);
        return Promise.resolve();
      }
    };
  };
}

const lead = (i: number, name: string): OrgRecord => ({
  attributes: { type: 'Lead' },
  Id: `00Q${String(i).padStart(12, '0')}AAA`,
  Name: name,
  Amount: i * 1.5,
  IsConverted: i % 2 === 0,
  ConvertedOpportunity: i % 3 === 0 ? { attributes: { type: 'Opportunity' }, IsWon: true } : null
});

const history = (i: number, n: number, value: string): OrgRecord => ({
  attributes: { type: 'LeadHistory' },
  Id: `017${String(i * 10 + n).padStart(12, '0')}AAA`,
  LeadId: `00Q${String(i).padStart(12, '0')}AAA`,
  NewValue: value,
  OldValue: null
});

function spec(buckets: number): JoinSpec {
  return {
    parent: soql`SELECT Id FROM Lead`,
    children: [
      { soql: soql`SELECT Id FROM LeadHistory`, route: (h) => [[String(h.LeadId).slice(0, 15), 'Histories']], routingOnly: ['LeadId'] }
    ],
    buckets,
    relationships: ['Histories']
  };
}

async function joined(read: StartRead, s: JoinSpec): Promise<Map<string, OrgRecord>> {
  const out = new Map<string, OrgRecord>();
  for await (const page of joinedPages(read, s)) for (const r of page) out.set(String(r.Id), r);
  return out;
}

describe('joined Bulk reads', () => {
  const odd = ['Zoë Ünïcode — 東京 🚀', 'line\nbreak', 'a\u0001separator', 'tab\tand "quotes"', '', 'n12', 't', '_', 'j{"x":1}'];
  const rows = {
    'SELECT Id FROM Lead': Array.from({ length: 300 }, (_, i) => lead(i, odd[i % odd.length])),
    'SELECT Id FROM LeadHistory': Array.from({ length: 300 }, (_, i) => [
      history(i, 0, odd[(i + 1) % odd.length]),
      history(i, 1, `${i}`)
    ]).flat()
  };

  it('gives every parent its children, alike in memory and spilled to files, whatever the values hold', async () => {
    const log: Log = { started: [], read: [], cancelled: [] };
    const inMemory = await joined(jobs(rows, log), spec(1));
    const spilled = await joined(jobs(rows, log), spec(7));
    expect(spilled.size).toBe(300);
    expect([...spilled.keys()].sort()).toEqual([...inMemory.keys()].sort());
    for (const [id, r] of inMemory) expect(spilled.get(id)).toEqual(r);
    const first = spilled.get(`00Q${'0'.repeat(12)}AAA`) as OrgRecord & { Histories: { records: OrgRecord[] } };
    expect(first.Name).toBe('Zoë Ünïcode — 東京 🚀');
    expect(first.ConvertedOpportunity).toEqual({ attributes: { type: 'Opportunity' }, IsWon: true });
    expect(first.Histories.records.map((h) => h.NewValue).sort()).toEqual(['0', 'line\nbreak']);
    expect(first.Histories.records[0]).not.toHaveProperty('LeadId');
  });

  it('reads back characters of several bytes that straddle the slices a spilled partition is read in', async () => {
    // one partition of more than the 8 MB read at a time, every name of multi-byte characters
    const many = {
      'SELECT Id FROM Lead': Array.from({ length: 70_000 }, (_, i) => lead(i, `${'東京'.repeat(40)}${i}`)),
      'SELECT Id FROM LeadHistory': []
    };
    const log: Log = { started: [], read: [], cancelled: [] };
    const out = await joined(jobs(many, log, 10_000), { ...spec(2), buckets: 2 });
    expect(out.size).toBe(70_000);
    for (const [id, r] of out) expect(r.Name).toBe(`${'東京'.repeat(40)}${Number(id.slice(3, 15))}`);
  });

  it('starts the next query job while the one before is read, and cancels a job it started but never read', async () => {
    const log: Log = { started: [], read: [], cancelled: [] };
    const read = jobs(rows, log);
    const s = spec(1);
    const pages = joinedPages(read, s);
    await pages.next();
    expect(log.started).toEqual(['SELECT Id FROM Lead', 'SELECT Id FROM LeadHistory']);
    expect(log.read).toEqual(['SELECT Id FROM Lead', 'SELECT Id FROM LeadHistory']);

    const early: Log = { started: [], read: [], cancelled: [] };
    const failing: StartRead = (q, includeDeleted) => {
      const started = jobs(rows, early)(q, includeDeleted);
      return q.text.includes('Lead ') || q.text.endsWith('Lead')
        ? {
            ...started,
            async *pages() {
              yield* started.pages();
              throw new Error('the org closed the connection');
            }
          }
        : started;
    };
    await expect(joined(failing, s)).rejects.toThrow('the org closed the connection');
    expect(early.started).toEqual(['SELECT Id FROM Lead', 'SELECT Id FROM LeadHistory']);
    expect(early.cancelled).toEqual(['SELECT Id FROM LeadHistory']);
  });
});
