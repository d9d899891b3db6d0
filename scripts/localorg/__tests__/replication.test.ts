import { startTestOrg, TestOrg } from '../testing';

/**
 * `/sobjects/X/updated` and `/sobjects/X/deleted` as a real org answers them (REST API Developer
 * Guide, "sObject Get Updated" / "sObject Get Deleted"; the rules are cited in routes/replication.ts),
 * through jsforce's `sobject(X).updated()` / `.deleted()`. Record sharing: permissions.sharing.test.ts.
 */
let org: TestOrg;
let now = new Date('2026-03-10T14:00:30Z');
const at = (iso: string) => {
  now = new Date(iso);
};

beforeAll(async () => {
  org = await startTestOrg({ now: () => now });
});
afterAll(() => org.close());

test('updated lists the records added or changed in the window (seconds ignored), up to the last minute covered', async () => {
  const Account = org.conn.sobject('Account');
  at('2026-03-10T14:00:30Z');
  const early = (await Account.create({ Name: 'Early' })).id!;
  at('2026-03-10T14:05:10Z');
  const changed = (await Account.create({ Name: 'Changed later' })).id!;
  at('2026-03-10T14:07:59Z');
  await Account.update({ Id: early, Name: 'Early, renamed' });
  at('2026-03-10T14:09:20Z');
  const gone = (await Account.create({ Name: 'Deleted' })).id!;
  await Account.destroy(gone);
  at('2026-03-10T14:10:45Z');
  const current = (await Account.create({ Name: 'This minute' })).id!;

  // 14:05:59 is read as 14:05; the end, far ahead, is covered up to the start of the current minute (14:10)
  const all = await Account.updated('2026-03-10T14:05:59Z', '2026-03-11T00:00:00Z');
  expect(new Set(all.ids)).toEqual(new Set([changed, early, current]));
  expect(all.latestDateCovered).toBe('2026-03-10T14:10:00.000+0000');
  // the next call starts there: it lists the current minute's records again, and misses none written later
  at('2026-03-10T14:10:50Z');
  const late = (await Account.create({ Name: 'Later this minute' })).id!;
  at('2026-03-10T14:12:00Z');
  expect(new Set((await Account.updated(all.latestDateCovered, '2026-03-11T00:00:00Z')).ids)).toEqual(new Set([current, late]));

  const window = await Account.updated(new Date('2026-03-10T14:00:00Z'), new Date('2026-03-10T14:07:00Z'));
  expect(window).toEqual({ ids: [changed], latestDateCovered: '2026-03-10T14:07:00.000+0000' });

  const deleted = await Account.deleted('2026-03-10T14:00:00Z', '2026-03-10T15:00:00Z');
  expect(deleted).toEqual({
    deletedRecords: [{ id: gone, deletedDate: '2026-03-10T14:09:20.000+0000' }],
    earliestDateAvailable: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000\+0000$/),
    latestDateCovered: '2026-03-10T14:12:00.000+0000'
  });
});

test('an object the user cannot read is NOT_FOUND; the window and its dates are checked as a real org checks them', async () => {
  at('2026-03-10T15:00:00Z');
  const plain = await org.createUser({ username: 'replicator@example.com' });
  // Standard User: no access to the package's custom objects
  await expect(
    plain.conn.sobject('Lead_Quality_Feedback__c').updated('2026-03-10T14:00:00Z', '2026-03-10T15:00:00Z')
  ).rejects.toMatchObject({
    errorCode: 'NOT_FOUND'
  });
  const base = `${org.instanceUrl}/services/data/v64.0/sobjects/Account`;
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${org.accessToken}` } });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const refusals: Array<[string, string, RegExp]> = [
    ['/updated?start=2026-03-10T14:05:00Z&end=2026-03-10T14:05:59Z', 'INVALID_REPLICATION_DATE', /precede endDate/],
    ['/updated?start=2026-03-10T14:06:00Z&end=2026-03-10T14:05:00Z', 'INVALID_REPLICATION_DATE', /precede endDate/],
    ['/updated?start=2026-02-01T00:00:00Z&end=2026-03-10T14:05:00Z', 'INVALID_REPLICATION_DATE', /30 days/],
    ['/deleted?start=2026-02-20T00:00:00Z&end=2026-03-10T14:05:00Z', 'INVALID_REPLICATION_DATE', /15 days/],
    ['/updated?start=2026-02-30T00:00:00Z&end=2026-03-10T14:05:00Z', 'INVALID_REPLICATION_DATE', /ISO 8601/],
    ['/updated?end=2026-03-10T14:05:00Z', 'MISSING_ARGUMENT', /start is required/]
  ];
  for (const [path, errorCode, message] of refusals) {
    expect([path, await get(path)]).toEqual([
      path,
      { status: 400, body: [{ errorCode, message: expect.stringMatching(message), fields: [] }] }
    ]);
  }
  // 29 days back is within the window
  expect((await get('/updated?start=2026-02-09T00:00:00Z&end=2026-03-10T14:05:00Z')).status).toBe(200);
  expect(
    (
      await fetch(`${base}/updated?start=2026-03-10T14:00:00Z&end=2026-03-10T14:05:00Z`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${org.accessToken}` }
      })
    ).status
  ).toBe(405);
});

test('sub-resources of a real org the local org lacks say so, never read as a record id or external id field', async () => {
  const account = (await org.conn.sobject('Account').create({ Name: 'With contacts' })).id!;
  const auth = { Authorization: `Bearer ${org.accessToken}` };
  for (const [path, what] of [
    ['/sobjects/Account/listviews', /list views/],
    ['/sobjects/Account/listviews/00BXX0000000001/describe', /list views/],
    ['/sobjects/Account/quickActions', /quick actions/],
    [`/sobjects/Account/${account}/Contacts`, /relationship traversal/],
    ['/query?explain=SELECT+Id+FROM+Account', /query plans/]
  ] as const) {
    const res = await fetch(`${org.instanceUrl}/services/data/v64.0${path}`, { headers: auth });
    expect([path, res.status]).toEqual([path, 404]);
    expect([path, (await res.json()) as unknown]).toEqual([
      path,
      [{ errorCode: 'NOT_FOUND', message: expect.stringMatching(what), fields: [] }]
    ]);
  }
  const unknown = await fetch(`${org.instanceUrl}/services/data/v64.0/sobjects/Account/${account}/NoSuchThing`, { headers: auth });
  expect(await unknown.json()).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }]);
});
