import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../project';
import { hintFor } from '../hints';
import { assignArgs, fieldHistoryQuery, historySettingFiles, permissionSetsFor, setupOrg } from '../setup';
import { SfCommandError } from '../sf';
import { recorded, Routes } from './recorded';

const ready: Routes = [
  ['org assign permset', 'assign-permset-ok'],
  [
    "data query --query SELECT DurableId, QualifiedApiName, IsFieldHistoryTracked FROM FieldDefinition WHERE EntityDefinition.QualifiedApiName = 'Lead'",
    'query-field-history-lead'
  ],
  [
    "data query --query SELECT DurableId, QualifiedApiName, IsFieldHistoryTracked FROM FieldDefinition WHERE EntityDefinition.QualifiedApiName = 'Opportunity'",
    'query-field-history-opportunity'
  ],
  ['data query --query SELECT Id, Name FROM BusinessHours WHERE IsDefault = true', 'query-business-hours-ok']
];
/** The second assignment: Closed_Loop_Sync to the user the sync runs as. */
const SYNC: Routes[number] = ['org assign permset --name Closed_Loop_Sync', 'assign-permset-sync-ok'];

describe('org setup → sf org assign permset + sf data query', () => {
  it('builds the assignment command: every permission set, every user', () => {
    expect(assignArgs('prod', ['Closed_Loop_Rep'], ['ana@acme.com', 'raj@acme.com'])).toEqual([
      'org',
      'assign',
      'permset',
      '--name',
      'Closed_Loop_Rep',
      '--on-behalf-of',
      'ana@acme.com',
      '--on-behalf-of',
      'raj@acme.com',
      '--target-org',
      'prod'
    ]);
    expect(permissionSetsFor([])).toEqual(['Closed_Loop_Rep', 'Closed_Loop_Marketing', 'Closed_Loop_Manager']);
    expect(permissionSetsFor(['marketing', 'manager'])).toEqual(['Closed_Loop_Marketing', 'Closed_Loop_Manager']);
  });

  it('a ready org: the persona sets and Closed_Loop_Sync assigned to you, history tracked, default business hours found', async () => {
    const { runner, calls } = recorded([...ready, SYNC]);
    const r = await setupOrg({ targetOrg: 'closed-loop', users: [], personas: [] }, runner);
    expect(calls[0]).toEqual([
      'org',
      'assign',
      'permset',
      '--name',
      'Closed_Loop_Rep',
      '--name',
      'Closed_Loop_Marketing',
      '--name',
      'Closed_Loop_Manager',
      '--target-org',
      'closed-loop',
      '--json'
    ]);
    // the sync's identity: the user sf is logged in as (no --on-behalf-of)
    expect(calls[1]).toEqual(['org', 'assign', 'permset', '--name', 'Closed_Loop_Sync', '--target-org', 'closed-loop', '--json']);
    expect(calls[2]).toEqual(['data', 'query', '--query', fieldHistoryQuery('Lead'), '--target-org', 'closed-loop', '--json']);
    expect(r.permissionSets).toEqual(['Closed_Loop_Rep', 'Closed_Loop_Marketing', 'Closed_Loop_Manager', 'Closed_Loop_Sync']);
    expect(r.assigned.map((a) => a.permissionSet)).toEqual([
      'Closed_Loop_Rep',
      'Closed_Loop_Marketing',
      'Closed_Loop_Manager',
      'Closed_Loop_Sync'
    ]);
    expect(r.checks.map((c) => [c.name, c.ok])).toEqual([
      ['history tracking on Lead.Status', true],
      ['history tracking on Lead.OwnerId', true],
      ['history tracking on Opportunity.StageName', true],
      ['default business hours', true]
    ]);
    expect(r.missing).toEqual([]);
  });

  it('assigns Closed_Loop_Sync to the integration user named, and not to you when you assign persona sets to others', async () => {
    const named = recorded([...ready, SYNC]);
    await setupOrg({ targetOrg: 'prod', users: ['ana@acme.com'], personas: ['rep'], syncUser: 'sync@acme.com' }, named.runner);
    expect(named.calls[1]).toEqual([
      'org',
      'assign',
      'permset',
      '--name',
      'Closed_Loop_Sync',
      '--on-behalf-of',
      'sync@acme.com',
      '--target-org',
      'prod',
      '--json'
    ]);
    const others = recorded(ready);
    const r = await setupOrg({ targetOrg: 'prod', users: ['ana@acme.com'], personas: ['rep'] }, others.runner);
    expect(others.calls.filter((c) => c.includes('Closed_Loop_Sync'))).toEqual([]);
    expect(r.permissionSets).toEqual(['Closed_Loop_Rep']);
  });

  it('reports what is missing (history only checked): an unknown permission set, untracked StageName, no default business hours; a duplicate is fine', async () => {
    const { runner } = recorded([
      ['org assign permset', 'assign-permset-partial'],
      SYNC,
      [ready[1][0], 'query-field-history-lead'],
      [ready[2][0], 'query-field-history-opportunity-untracked'],
      [ready[3][0], 'query-business-hours-none']
    ]);
    const r = await setupOrg({ users: [], personas: [], enableHistory: false }, runner);
    expect(r.assigned.map((a) => a.permissionSet)).toEqual(['Closed_Loop_Marketing', 'Closed_Loop_Sync']);
    expect(r.alreadyAssigned).toHaveLength(1);
    expect(r.failed.map((f) => f.permissionSet)).toEqual(['Closed_Loop_Manager']);
    expect(r.missing).toEqual([
      'permission set assignment for test-wvkpnfm5z113@example.com: Permission set "Closed_Loop_Manager" not found in target org. Do you need to push source?',
      'history tracking on Opportunity.StageName: off: Setup > Object Manager > Opportunity > Fields & Relationships > Set History Tracking, tick StageName',
      'default business hours: none: Setup > Business Hours, open one and tick "Use these business hours as the default"'
    ]);
    expect(hintFor({ message: r.failed[0].message ?? '' }, { targetOrg: 'closed-loop' })).toBe(
      'deploy the package first: npx closed-loop org deploy --target-org closed-loop'
    );
  });

  it('switches history on where it is off: deploys exactly those settings from config/demo, then reads FieldDefinition again', async () => {
    const { runner, calls } = recorded([
      ['org assign permset', 'assign-permset-ok'],
      SYNC,
      [ready[1][0], 'query-field-history-lead'],
      [ready[2][0], 'query-field-history-opportunity-untracked'],
      ['project deploy start', 'deploy-ok'],
      [ready[2][0], 'query-field-history-opportunity'],
      [ready[3][0], 'query-business-hours-ok']
    ]);
    const r = await setupOrg({ targetOrg: 'closed-loop', users: [], personas: [] }, runner);
    const demo = 'config/demo/main/default/objects/Opportunity';
    expect(calls[4]).toEqual([
      'project',
      'deploy',
      'start',
      '--source-dir',
      `${demo}/Opportunity.object-meta.xml`,
      '--source-dir',
      `${demo}/fields/StageName.field-meta.xml`,
      '--target-org',
      'closed-loop',
      '--wait',
      '10',
      '--json'
    ]);
    expect(calls[5]).toEqual(['data', 'query', '--query', fieldHistoryQuery('Opportunity'), '--target-org', 'closed-loop', '--json']);
    expect(r.historyEnabled).toEqual(['Opportunity.StageName']);
    expect(r.checks.find((c) => c.name === 'history tracking on Opportunity.StageName')).toEqual({
      name: 'history tracking on Opportunity.StageName',
      ok: true,
      detail: 'on (switched on now: deployed its history settings from config/demo)'
    });
    expect(r.missing).toEqual([]);
  });

  it('a history deploy the org rejects leaves the check failing, with the reason and the manual fix', async () => {
    const { runner, calls } = recorded([
      ['org assign permset', 'assign-permset-ok'],
      SYNC,
      [ready[1][0], 'query-field-history-lead'],
      [ready[2][0], 'query-field-history-opportunity-untracked'],
      ['project deploy start', 'deploy-component-failures'],
      [ready[3][0], 'query-business-hours-ok']
    ]);
    const r = await setupOrg({ users: [], personas: [] }, runner);
    expect(calls.map((c) => c.slice(0, 2).join(' '))).toEqual([
      'org assign',
      'org assign',
      'data query',
      'data query',
      'project deploy',
      'data query'
    ]);
    expect(r.historyEnabled).toEqual([]);
    expect(r.missing).toEqual([
      expect.stringMatching(
        /^history tracking on Opportunity\.StageName: off: Setup > Object Manager > Opportunity > Fields & Relationships > Set History Tracking, tick StageName \(switching it on failed: deploy failed: \d+ component errors?, first .+\)$/
      )
    ]);
  });

  it('the history settings setup deploys are in config/demo, and switch history on', () => {
    const files = historySettingFiles();
    expect(files.map((f) => path.relative(PROJECT_ROOT, f).split(path.sep).join('/'))).toEqual([
      'config/demo/main/default/objects/Lead/Lead.object-meta.xml',
      'config/demo/main/default/objects/Lead/fields/Status.field-meta.xml',
      'config/demo/main/default/objects/Lead/fields/OwnerId.field-meta.xml',
      'config/demo/main/default/objects/Opportunity/Opportunity.object-meta.xml',
      'config/demo/main/default/objects/Opportunity/fields/StageName.field-meta.xml'
    ]);
    for (const f of files)
      expect([f, fs.readFileSync(f, 'utf8')]).toEqual([f, expect.stringMatching(/<(enableHistory|trackHistory)>true</)]);
  });

  it.each([
    ['assign-permset-no-default', /pass --target-org <alias>/],
    ['assign-permset-expired-session', /login session expired/]
  ])("%s: stops with sf's message and a hint", async (fixture, hint) => {
    const { runner, calls } = recorded([['org assign permset', fixture]]);
    const e = (await setupOrg({ users: [], personas: ['rep'] }, runner).catch((x: unknown) => x)) as SfCommandError;
    expect(e).toBeInstanceOf(SfCommandError);
    expect(hintFor({ name: e.sfName, message: e.message })).toMatch(hint);
    expect(calls).toHaveLength(1);
  });

  it('a query failure (expired session) is not mistaken for a missing setting', async () => {
    const { runner } = recorded([['org assign permset', 'assign-permset-ok'], SYNC, ['data query', 'query-expired-session']]);
    await expect(setupOrg({ users: [], personas: [] }, runner)).rejects.toThrow(/expired access\/refresh token/);
  });
});
