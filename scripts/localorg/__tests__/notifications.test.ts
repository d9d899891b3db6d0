/**
 * Custom notifications in the local org, over HTTP with jsforce as against a real org: the notification type
 * queryable by DeveloperName, the standard `customNotificationAction` (one result per input, validation errors
 * per input, the "Send Custom Notifications" permission, bounds) and each recipient's own notifications through
 * `/connect/notifications`.
 */
import type { Connection } from 'jsforce';
import { startTestOrg } from '../testing';
import type { TestOrg, TestUser } from '../testing';

let org: TestOrg;
let typeId: string;
let rep: TestUser;
let other: TestUser;
let sync: TestUser;
let leadId: string;

beforeAll(async () => {
  org = await startTestOrg();
  typeId = (await org.conn.query<{ Id: string }>("SELECT Id FROM CustomNotificationType WHERE DeveloperName = 'Closed_Loop_SLA_Alert'"))
    .records[0].Id;
  rep = await org.createUser({ username: 'rep@notify.test', lastName: 'Rep', permissionSets: ['Closed_Loop_Rep'] });
  other = await org.createUser({ username: 'other@notify.test', lastName: 'Other', permissionSets: ['Closed_Loop_Rep'] });
  sync = await org.createUser({ username: 'sync@notify.test', lastName: 'Sync', permissionSets: ['Closed_Loop_Sync'] });
  const created = await org.conn.sobject('Lead').create({ LastName: 'Target', Company: 'Acme', OwnerId: rep.userId });
  leadId = (created as { id: string }).id;
}, 120_000);
afterAll(() => org?.close());

const ACTION = '/actions/standard/customNotificationAction';

interface Result {
  actionName: string;
  isSuccess: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }> | null;
  outputValues: Record<string, unknown> | null;
}

/** POSTs to the action and returns the HTTP status and body, whatever the status. */
async function invoke(conn: Connection, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${conn.instanceUrl}/services/data/v64.0${ACTION}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });
  return { status: res.status, body: await res.json() };
}

const input = (over: Record<string, unknown> = {}) => ({
  customNotifTypeId: typeId,
  recipientIds: [rep.userId],
  title: 'SLA breached: Accept on Target (Acme)',
  body: 'It was due at 10:00.',
  targetId: leadId,
  ...over
});

async function bell(conn: Connection) {
  return (
    await conn.request<{ notifications: Array<{ id: string; messageTitle: string; target: string; read: boolean }> }>(
      '/connect/notifications?size=50'
    )
  ).notifications;
}

it('the type is a read-only row per deployed notiftype, queryable by DeveloperName', async () => {
  expect(typeId).toMatch(/^0ML[a-zA-Z0-9]{15}$/);
  await expect(org.conn.sobject('CustomNotificationType').create({ DeveloperName: 'X' })).rejects.toMatchObject({
    errorCode: 'INVALID_TYPE'
  });
  // a rep reads it too (the standard profile reads setup objects)
  expect((await rep.conn.query("SELECT Id FROM CustomNotificationType WHERE DeveloperName = 'Closed_Loop_SLA_Alert'")).totalSize).toBe(1);
});

it('the sync user sends; each input gets its result; only the recipient reads it, and marks it read', async () => {
  const res = await invoke(sync.conn, { inputs: [input()] });
  expect(res.status).toBe(200);
  expect(res.body).toEqual([
    {
      actionName: 'customNotificationAction',
      errors: null,
      isSuccess: true,
      outputValues: { SuccessMessage: 'Your custom notification is processed successfully.' }
    }
  ]);
  const mine = await bell(rep.conn);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ messageTitle: 'SLA breached: Accept on Target (Acme)', target: leadId, read: false });
  expect(await bell(other.conn)).toEqual([]);
  expect(await rep.conn.request('/connect/notifications/status')).toMatchObject({ unreadCount: 1, unseenCount: 1 });
  // another user cannot read or mark it
  await expect(other.conn.request(`/connect/notifications/${mine[0].id}`)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  await rep.conn.request({ method: 'PATCH', url: `/connect/notifications/${mine[0].id}`, body: JSON.stringify({ read: true }) });
  expect(await rep.conn.request('/connect/notifications/status')).toMatchObject({ unreadCount: 0, unseenCount: 0 });
});

it('validation errors per input, the valid inputs of the same request still sent, the answer 400', async () => {
  const before = (await bell(other.conn)).length;
  const res = await invoke(org.conn, {
    inputs: [
      input({ recipientIds: [other.userId] }),
      input({ title: undefined }),
      input({ customNotifTypeId: '0MLxx0000000001AAA' }),
      input({ targetId: undefined }),
      input({ recipientIds: [leadId] }),
      input({ recipientIds: [] }),
      input({ body: 'x'.repeat(751) })
    ]
  });
  expect(res.status).toBe(400);
  const results = res.body as Result[];
  expect(results.map((r) => r.isSuccess)).toEqual([true, false, false, false, false, false, false]);
  expect(results.slice(1).map((r) => r.errors?.[0].statusCode)).toEqual([
    'REQUIRED_FIELD_MISSING',
    'INVALID_ID_FIELD',
    'REQUIRED_FIELD_MISSING',
    'INVALID_ID_FIELD',
    'REQUIRED_FIELD_MISSING',
    'STRING_TOO_LONG'
  ]);
  expect(results[1].errors?.[0]).toEqual({
    statusCode: 'REQUIRED_FIELD_MISSING',
    message: 'Missing required input parameter: title',
    fields: ['title']
  });
  expect(await bell(other.conn)).toHaveLength(before + 1);
});

it('a user without "Send Custom Notifications" is refused; bodies without inputs or with too many are 400', async () => {
  const refused = await invoke(rep.conn, { inputs: [input()] });
  expect(refused.status).toBe(400);
  expect((refused.body as Result[])[0].errors?.[0].statusCode).toBe('INSUFFICIENT_ACCESS');
  expect(await invoke(org.conn, { notInputs: [] })).toMatchObject({ status: 400, body: [{ errorCode: 'JSON_PARSER_ERROR' }] });
  expect(await invoke(org.conn, { inputs: Array.from({ length: 201 }, () => input()) })).toMatchObject({
    status: 400,
    body: [{ errorCode: 'LIMIT_EXCEEDED' }]
  });
});

it('the action is listed and described; other actions and Connect resources are NOT_FOUND', async () => {
  const standard = await org.conn.request<{ actions: Array<{ name: string }> }>('/actions/standard');
  expect(standard.actions.map((a) => a.name)).toEqual(['customNotificationAction']);
  const described = await org.conn.request<{ inputs: Array<{ name: string; required: boolean }> }>(ACTION);
  expect(described.inputs.filter((i) => i.required).map((i) => i.name)).toEqual(['customNotifTypeId', 'recipientIds', 'title', 'body']);
  await expect(org.conn.request('/actions/standard/chatterPost')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  await expect(org.conn.request('/connect/communities')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
});

it('/connect/notifications is bounded: size 1–50, before and after not together, mark-all by before', async () => {
  await expect(rep.conn.request('/connect/notifications?size=0')).rejects.toMatchObject({ errorCode: 'INVALID_API_INPUT' });
  await expect(rep.conn.request('/connect/notifications?before=2026-01-01T00:00:00Z&after=2025-01-01T00:00:00Z')).rejects.toMatchObject({
    errorCode: 'INVALID_API_INPUT'
  });
  for (let i = 0; i < 3; i++) await invoke(org.conn, { inputs: Array.from({ length: 20 }, () => input()) });
  expect(await bell(rep.conn)).toHaveLength(50);
  await rep.conn.request({ method: 'PATCH', url: '/connect/notifications', body: JSON.stringify({ read: true }) });
  expect(await rep.conn.request('/connect/notifications/status')).toMatchObject({ unreadCount: 0 });
});
