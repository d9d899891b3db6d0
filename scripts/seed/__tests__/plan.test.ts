import * as fs from 'node:fs';
import * as path from 'node:path';
import { BusinessCalendar } from '../../calendar';
import { readObjects } from '../../metadata/objects';
import { DEMO_DIR, PACKAGE_DIR } from '../../project';
import { buildSeedPlan, SeedOptionsError, streamSeedPlan } from '../plan';
import { localDate } from '../time';
import { SEED_OBJECTS, SHARED_OBJECTS, type SeedPlan, type SeedRecord } from '../types';

// a Wednesday afternoon in New York, two and a half weeks after the March DST change
const NOW = '2026-03-25T19:07:00.000Z';
const plan = buildSeedPlan({ seed: 7, now: NOW });
const cal = new BusinessCalendar(plan.calendar);
const nowMs = Date.parse(NOW);
const byKey = new Map<string, SeedRecord>(Object.values(plan.records).flatMap((rs) => rs.map((r) => [r.key, r] as const)));
const t = (s: unknown) => Date.parse(String(s));

function childrenOf(sobject: keyof SeedPlan['records'], field: string): Map<string, SeedRecord[]> {
  const out = new Map<string, SeedRecord[]>();
  for (const r of plan.records[sobject]) {
    const parent = r.refs[field];
    if (!parent) continue;
    if (!out.has(parent)) out.set(parent, []);
    out.get(parent)!.push(r);
  }
  return out;
}
const historyOf = childrenOf('LeadHistory', 'LeadId');
const feedbackOf = childrenOf('Lead_Quality_Feedback__c', 'Lead__c');
const stageHistoryOf = childrenOf('OpportunityFieldHistory', 'OpportunityId');
const membersOf = childrenOf('CampaignMember', 'LeadId');
const share = (n: number, of: number) => n / of;

/** Runs a check over many records and returns the first problems found (so one expect reports them all). */
function problems(check: (fail: (problem: string) => void) => void): string[] {
  const out: string[] = [];
  check((p) => {
    if (out.length < 20) out.push(p);
  });
  return out;
}

/** A lead's owner (key) at each moment, from its owner history. */
function ownerAt(lead: SeedRecord, at: number): string {
  let owner = 'User:mops';
  for (const h of historyOf.get(lead.key) ?? []) {
    if (h.fields.Field === 'Owner' && h.fields.DataType === 'EntityId' && t(h.fields.CreatedDate) <= at) owner = h.refs.NewValue;
  }
  return owner;
}

describe('seed plan: determinism', () => {
  it('gives byte-identical data for the same seed and now, and other data for another seed', () => {
    const again = buildSeedPlan({ seed: 7, now: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
    const other = buildSeedPlan({ seed: 8, now: NOW });
    expect(JSON.stringify(other.records.Lead)).not.toBe(JSON.stringify(plan.records.Lead));
  });

  it('gives the same records, in the same order, when made in batches of leads', () => {
    for (const size of [1, 7, 499, 2000]) {
      const stream = streamSeedPlan({ seed: 7, now: NOW }, size);
      const records = stream.shared;
      expect(SHARED_OBJECTS.every((o) => records[o].length > 0)).toBe(true);
      const sizes: number[] = [];
      for (const batch of stream.batches) {
        sizes.push(batch.leads);
        expect(batch.records.Lead).toHaveLength(batch.leads);
        for (const o of SEED_OBJECTS) records[o].push(...batch.records[o]);
      }
      expect(sizes.slice(0, -1).every((n) => n === size)).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(2000);
      const { seed, now, leads, days, calendar } = stream;
      expect(JSON.stringify({ seed, now, leads, days, records, calendar })).toBe(JSON.stringify(plan));
    }
  });

  it('gives the same batches when they are made a slice at a time (paced) as when made at once, and reads them once', async () => {
    const atOnce = streamSeedPlan({ seed: 7, now: NOW, leads: 600 }, 250);
    const paced = streamSeedPlan({ seed: 7, now: NOW, leads: 600 }, 250);
    const got: string[] = [];
    for await (const batch of paced.pacedBatches) got.push(JSON.stringify(batch));
    expect(got).toEqual([...atOnce.batches].map((b) => JSON.stringify(b)));
    expect(got).toHaveLength(3);
    expect(() => [...paced.batches]).toThrow('read once');
  });

  it('reads neither Math.random nor the wall clock', () => {
    const RealDate = Date;
    class NoClockDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) throw new Error('read the wall clock (new Date())');
        super(...(args as [number]));
      }
      static override now(): number {
        throw new Error('read the wall clock (Date.now)');
      }
    }
    const random = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('used Math.random');
    });
    global.Date = NoClockDate as DateConstructor;
    try {
      expect(JSON.stringify(buildSeedPlan({ seed: 7, now: NOW, leads: 300 }))).toBe(
        JSON.stringify(buildSeedPlan({ seed: 7, now: NOW, leads: 300 }))
      );
    } finally {
      global.Date = RealDate;
      random.mockRestore();
    }
  });

  it('puts nothing after now, keeps whole seconds as an org does, and creates leads only within the window', () => {
    const late: string[] = [];
    for (const rs of Object.values(plan.records)) {
      for (const r of rs) {
        for (const f of ['CreatedDate', 'LastModifiedDate', 'Submitted_At__c', 'MQL_At__c', 'Accepted_At__c', 'StartDateTime']) {
          if (r.fields[f] && (t(r.fields[f]) > nowMs || t(r.fields[f]) % 1000 !== 0)) late.push(`${r.key}.${f}`);
        }
      }
    }
    expect(late).toEqual([]);
    const created = plan.records.Lead.map((l) => t(l.fields.CreatedDate));
    expect(Math.min(...created)).toBeGreaterThanOrEqual(nowMs - 60 * 86400000);
    expect(plan.records.Lead).toHaveLength(2000);
  });

  it('rejects bad options with a one-line reason', () => {
    expect(() => buildSeedPlan({ now: 'yesterday' })).toThrow(SeedOptionsError);
    expect(() => buildSeedPlan({ now: NOW, leads: -1 })).toThrow(/leads must be/);
    expect(() => buildSeedPlan({ now: NOW, seed: 1.5 })).toThrow(/seed must be/);
    expect(buildSeedPlan({ now: NOW, leads: 0 }).records.Lead).toHaveLength(0);
  });
});

describe('seed plan: shape', () => {
  it('has two managers with four reps each, a marketing-ops user, two lead queues and the 9-to-5 calendar', () => {
    const users = plan.records.User;
    expect(users).toHaveLength(11);
    const reps = users.filter((u) => u.fields.Title === 'Account Executive');
    expect(reps).toHaveLength(8);
    expect(new Set(reps.map((r) => r.refs.ManagerId))).toEqual(new Set(['User:mgr-east', 'User:mgr-west']));
    expect(users.filter((u) => u.fields.Department === 'Marketing')).toHaveLength(1);
    expect(plan.records.Group.map((g) => [g.fields.Name, g.fields.Type])).toEqual([
      ['MQL Queue', 'Queue'],
      ['Nurture Queue', 'Queue']
    ]);
    expect(plan.calendar).toMatchObject({
      Name: 'Default',
      TimeZoneSidKey: 'America/New_York',
      MondayStartTime: '09:00:00.000Z',
      FridayEndTime: '17:00:00.000Z',
      SaturdayStartTime: null
    });
    const holidays = plan.records.Holiday.map((h) => h.fields.Name);
    expect(holidays).toEqual(expect.arrayContaining(["New Year's Day", 'Independence Day', 'Christmas Day', 'Thanksgiving 2026']));
    expect(
      plan.records.Holiday.some((h) => h.fields.IsRecurrence === true) && plan.records.Holiday.some((h) => h.fields.IsRecurrence === false)
    ).toBe(true);
  });

  it('gives every record a unique key and resolves every reference inside the plan (or to a profile or permission set by name)', () => {
    const keys = Object.values(plan.records).flatMap((rs) => rs.map((r) => r.key));
    expect(new Set(keys).size).toBe(keys.length);
    const dangling: string[] = [];
    for (const rs of Object.values(plan.records)) {
      for (const r of rs)
        for (const ref of Object.values(r.refs))
          if (!/^(Profile|PermissionSet):/.test(ref) && !byKey.has(ref)) dangling.push(`${r.key} → ${ref}`);
    }
    expect(dangling).toEqual([]);
  });

  it('uses only reserved e-mail domains, unique lead e-mails and unique account names', () => {
    const emails = plan.records.Lead.map((l) => String(l.fields.Email));
    expect(emails.filter((e) => !/@[a-z0-9.-]+\.example$/.test(e) || e.length > 80)).toEqual([]);
    expect(new Set(emails).size).toBe(emails.length);
    const accounts = plan.records.Account.map((a) => a.fields.Name);
    expect(new Set(accounts).size).toBe(accounts.length);
  });

  it('writes only fields and picklist values the package and the demo config define', () => {
    const objects = readObjects(path.join(PACKAGE_DIR, 'main', 'default', 'objects'));
    const bad = problems((fail) => {
      for (const [sobject, records] of Object.entries(plan.records)) {
        const def = objects.get(sobject);
        for (const r of records) {
          for (const [field, value] of Object.entries(r.fields)) {
            if (!field.endsWith('__c')) continue;
            const f = def?.fields.get(field);
            if (!f) fail(`${sobject}.${field} is not in the package`);
            if (value === null || !f?.picklistValues) continue;
            const allowed = new Set(f.picklistValues.map((p) => p.fullName));
            for (const v of f.type === 'MultiselectPicklist' ? String(value).split(';') : [String(value)])
              if (!allowed.has(v)) fail(`${r.key}: ${field} = ${v}`);
          }
        }
      }
    });
    expect(bad).toEqual([]);
    const statusXml = fs.readFileSync(
      path.join(DEMO_DIR, 'main', 'default', 'standardValueSets', 'LeadStatus.standardValueSet-meta.xml'),
      'utf8'
    );
    const statuses = new Set([...statusXml.matchAll(/<fullName>([^<]+)<\/fullName>/g)].map((m) => m[1]));
    expect(plan.records.Lead.filter((l) => !statuses.has(String(l.fields.Status)))).toEqual([]);
  });
});

describe('seed plan: every lead history is consistent', () => {
  const NEXT: Record<string, string[]> = {
    New: ['Marketing Qualified'],
    'Marketing Qualified': ['Sales Accepted', 'Recycled', 'Rejected'],
    'Sales Accepted': ['Sales Qualified', 'Recycled'],
    'Sales Qualified': ['Converted'],
    Recycled: ['Marketing Qualified']
  };
  const DECIDED_BY_REP = new Set(['Sales Accepted', 'Recycled', 'Rejected', 'Sales Qualified', 'Converted']);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

  it('replays from New and the marketing-ops owner to the lead’s current status and owner, in order, through allowed steps', () => {
    const bad = problems((fail) => {
      for (const lead of plan.records.Lead) {
        const rows = historyOf.get(lead.key) ?? [];
        let status = 'New';
        let owner = 'User:mops';
        let last = t(lead.fields.CreatedDate);
        let mqlAt: number | undefined;
        let acceptedAt: number | undefined;
        for (const h of rows) {
          const at = t(h.fields.CreatedDate);
          if (at < last) fail(`${h.key}: out of order`);
          last = at;
          if (h.fields.Field === 'Status') {
            if (h.fields.OldValue !== status) fail(`${h.key}: OldValue ${String(h.fields.OldValue)}, was ${status}`);
            if (!NEXT[status]?.includes(String(h.fields.NewValue))) fail(`${h.key}: ${status} → ${String(h.fields.NewValue)}`);
            status = String(h.fields.NewValue);
            if (status === 'Marketing Qualified') [mqlAt, acceptedAt] = [at, undefined];
            if (status === 'Sales Accepted') acceptedAt = at;
            // decisions are made by the rep who owns the lead (a user, not a queue)
            if (DECIDED_BY_REP.has(status) && (!owner.startsWith('User:rep-') || h.refs.CreatedById !== owner))
              fail(`${h.key}: ${status} by ${h.refs.CreatedById} while owned by ${owner}`);
          } else if (h.fields.Field === 'Owner' && h.fields.DataType === 'EntityId') {
            if (h.refs.OldValue !== owner) fail(`${h.key}: old owner ${h.refs.OldValue}, was ${owner}`);
            // MQL and the move to the MQL queue are one update (an assignment rule): marketing ops never owns an MQL
            if (owner === 'User:mops' && status === 'Marketing Qualified' && h.fields.CreatedDate !== iso(mqlAt))
              fail(`${h.key}: MQL owned by marketing ops`);
            owner = h.refs.NewValue;
          }
        }
        if (lead.fields.Status !== status) fail(`${lead.key}: Status ${String(lead.fields.Status)}, history says ${status}`);
        if (lead.refs.OwnerId !== owner) fail(`${lead.key}: OwnerId ${lead.refs.OwnerId}, history says ${owner}`);
        if (lead.fields.MQL_At__c !== iso(mqlAt)) fail(`${lead.key}: MQL_At__c`);
        if (lead.fields.Accepted_At__c !== iso(acceptedAt)) fail(`${lead.key}: Accepted_At__c`);
        if (lead.fields.LastModifiedDate !== iso(last)) fail(`${lead.key}: LastModifiedDate`);
      }
    });
    expect(bad).toEqual([]);
  });

  it('records each owner change twice (Ids, then names) as an org does', () => {
    const bad = problems((fail) => {
      for (const rows of historyOf.values()) {
        const owners = rows.filter((h) => h.fields.Field === 'Owner');
        for (let i = 0; i < owners.length; i += 2) {
          const [ids, names] = [owners[i], owners[i + 1]];
          if (
            ids.fields.DataType !== 'EntityId' ||
            names?.fields.DataType !== 'Text' ||
            names.fields.CreatedDate !== ids.fields.CreatedDate
          )
            fail(ids.key);
        }
      }
    });
    expect(bad).toEqual([]);
  });

  it('converts only sales-qualified leads, into an account, contact and opportunity of that moment', () => {
    const bad = problems((fail) => {
      for (const lead of plan.records.Lead) {
        const converted = lead.fields.Status === 'Converted';
        if (lead.fields.IsConverted !== converted) fail(`${lead.key}: IsConverted`);
        if (!converted) {
          if (lead.refs.ConvertedOpportunityId) fail(`${lead.key}: an opportunity without conversion`);
          continue;
        }
        const conv = historyOf.get(lead.key)!.find((h) => h.fields.Field === 'leadConverted');
        if (!conv) {
          fail(`${lead.key}: no leadConverted row`);
          continue;
        }
        if (lead.fields.ConvertedDate !== localDate(t(conv.fields.CreatedDate), 'America/New_York')) fail(`${lead.key}: ConvertedDate`);
        for (const f of ['ConvertedAccountId', 'ConvertedContactId', 'ConvertedOpportunityId']) {
          if (byKey.get(lead.refs[f])?.fields.CreatedDate !== conv.fields.CreatedDate) fail(`${lead.key}: ${f} not created at conversion`);
        }
        const opp = byKey.get(lead.refs.ConvertedOpportunityId)!;
        if (opp.refs.AccountId !== lead.refs.ConvertedAccountId || opp.refs.OwnerId !== lead.refs.OwnerId)
          fail(`${opp.key}: account or owner`);
      }
    });
    expect(bad).toEqual([]);
  });

  it('files feedback with each rep decision, with reasons, ratings and BANT flags that fit the disposition', () => {
    const REASONS: Record<string, string[]> = {
      Accept: ['Good fit'],
      Recycle: ['Bad timing', 'No budget', 'Not decision maker', 'No need'],
      Reject: ['Bad contact data', 'Duplicate', 'Already in contact', 'Competitor', 'Student or job seeker', 'Spam', 'No need', 'No budget']
    };
    const STATUS_OF: Record<string, string> = { Accept: 'Sales Accepted', Recycle: 'Recycled', Reject: 'Rejected' };
    const DENIES: Record<string, string> = {
      'No budget': 'Budget__c',
      'Not decision maker': 'Authority__c',
      'No need': 'Need__c',
      'Bad timing': 'Timeline__c'
    };
    const bad = problems((fail) => {
      for (const lead of plan.records.Lead) {
        const feedback = feedbackOf.get(lead.key) ?? [];
        const rows = historyOf.get(lead.key) ?? [];
        for (const f of feedback) {
          const d = String(f.fields.Disposition__c);
          const reason = String(f.fields.Reason__c);
          if (!REASONS[d]?.includes(reason)) fail(`${f.key}: ${d} for ${reason}`);
          const change = rows.find((h) => h.fields.Field === 'Status' && h.fields.CreatedDate === f.fields.Submitted_At__c);
          if (change?.fields.NewValue !== STATUS_OF[d] || f.refs.CreatedById !== change.refs.CreatedById)
            fail(`${f.key}: no matching status change by its author`);
          if (f.fields.Lead_Source__c !== lead.fields.LeadSource) fail(`${f.key}: Lead_Source__c`);
          const rating = Number(f.fields.Rating__c);
          if ((d === 'Accept' && rating < 3) || (d === 'Recycle' && rating > 3) || rating < 1 || rating > 5)
            fail(`${f.key}: rating ${rating} for ${d}`);
          if (d === 'Accept' && f.fields.Need__c !== true) fail(`${f.key}: accepted without a need`);
          if (DENIES[reason] && f.fields[DENIES[reason]] !== false) fail(`${f.key}: ${reason} but ${DENIES[reason]} checked`);
          if (f.refs.Campaign__c) {
            const member = (membersOf.get(lead.key) ?? []).find((m) => m.refs.CampaignId === f.refs.Campaign__c);
            if (!member || t(member.fields.CreatedDate) > t(f.fields.Submitted_At__c)) fail(`${f.key}: campaign the lead was not in`);
          }
        }
        // recycling and rejecting always come with a reason; most acceptances do too
        const decisions = rows.filter(
          (h) => h.fields.Field === 'Status' && (h.fields.NewValue === 'Recycled' || h.fields.NewValue === 'Rejected')
        );
        if (feedback.filter((f) => f.fields.Disposition__c !== 'Accept').length !== decisions.length)
          fail(`${lead.key}: a recycle/reject without feedback`);
        if (lead.fields.Recycle_Count__c !== feedback.filter((f) => f.fields.Disposition__c === 'Recycle').length)
          fail(`${lead.key}: Recycle_Count__c`);
        if (lead.fields.Quality_Rating__c !== (feedback.length ? feedback[feedback.length - 1].fields.Rating__c : null))
          fail(`${lead.key}: Quality_Rating__c`);
        const dedupe = feedback.some(
          (f) => f.fields.Disposition__c === 'Reject' && ['Duplicate', 'Already in contact'].includes(String(f.fields.Reason__c))
        );
        if (lead.fields.Needs_Dedupe__c !== dedupe) fail(`${lead.key}: Needs_Dedupe__c`);
      }
    });
    expect(bad).toEqual([]);
  });

  it('has reps touch only leads they own, after they got them; converted leads’ activities sit on the contact and the opportunity', () => {
    const leads = new Map(plan.records.Lead.map((l) => [l.key, l]));
    const contactToLead = new Map(plan.records.Lead.filter((l) => l.refs.ConvertedContactId).map((l) => [l.refs.ConvertedContactId, l]));
    const bad = problems((fail) => {
      for (const a of [...plan.records.Task, ...plan.records.Event]) {
        const lead = leads.get(a.refs.WhoId) ?? contactToLead.get(a.refs.WhoId);
        if (!lead) {
          fail(`${a.key}: on no lead`);
          continue;
        }
        if (
          lead.fields.IsConverted &&
          (a.refs.WhoId !== lead.refs.ConvertedContactId || a.refs.WhatId !== lead.refs.ConvertedOpportunityId)
        )
          fail(`${a.key}: not moved to the contact`);
        if (a.fields.Status === 'Not Started') continue;
        if (a.refs.OwnerId === 'User:mops') {
          if (a.fields.Subject !== 'Email: Thanks for your interest') fail(`${a.key}: marketing ops touched a lead`);
        } else if (ownerAt(lead, t(a.fields.CreatedDate)) !== a.refs.OwnerId) fail(`${a.key}: by ${a.refs.OwnerId}, not the owner then`);
      }
    });
    expect(bad).toEqual([]);
  });

  it('marks opportunities marketing-sourced when the lead came from a marketing source or campaign', () => {
    const MARKETING = new Set(['Web', 'Webinar', 'Trade Show', 'Advertisement', 'Purchased List']);
    const bad = problems((fail) => {
      for (const lead of plan.records.Lead.filter((l) => l.fields.IsConverted)) {
        const opp = byKey.get(lead.refs.ConvertedOpportunityId)!;
        const fromCampaign = (membersOf.get(lead.key) ?? []).some((m) => m.fields.CreatedDate === lead.fields.CreatedDate);
        if (opp.fields.Marketing_Sourced__c !== (MARKETING.has(String(lead.fields.LeadSource)) || fromCampaign)) fail(opp.key);
      }
    });
    expect(bad).toEqual([]);
  });

  it('walks opportunities through the stages; reviews only closed ones, after closing, with a matching outcome', () => {
    const reviews = new Map(plan.records.Win_Loss_Review__c.map((r) => [r.refs.Opportunity__c, r]));
    const bad = problems((fail) => {
      for (const opp of plan.records.Opportunity) {
        const rows = stageHistoryOf.get(opp.key) ?? [];
        let stage = 'Qualification';
        for (const h of rows) {
          if (h.fields.OldValue !== stage) fail(`${h.key}: from ${String(h.fields.OldValue)}, was ${stage}`);
          stage = String(h.fields.NewValue);
        }
        if (opp.fields.StageName !== stage) fail(`${opp.key}: StageName`);
        const review = reviews.get(opp.key);
        if (!stage.startsWith('Closed')) {
          if (review) fail(`${opp.key}: review of an open opportunity`);
          if (t(`${String(opp.fields.CloseDate)}T23:59:59Z`) < nowMs) fail(`${opp.key}: open with a past close date`);
          continue;
        }
        const closedAt = t(rows[rows.length - 1].fields.CreatedDate);
        if (opp.fields.CloseDate !== localDate(closedAt, 'America/New_York')) fail(`${opp.key}: CloseDate`);
        if (!review) continue;
        if (t(review.fields.Submitted_At__c) <= closedAt) fail(`${review.key}: before closing`);
        if ((review.fields.Outcome__c === 'Won') !== (stage === 'Closed Won')) fail(`${review.key}: outcome`);
        if (review.refs.OwnerId !== opp.refs.OwnerId) fail(`${review.key}: not by the owner`);
        if (opp.fields.Marketing_Sourced__c && !['Sourced', 'Unknown'].includes(String(review.fields.Marketing_Influence__c)))
          fail(`${review.key}: influence`);
      }
    });
    expect(bad).toEqual([]);
  });
});

describe('seed plan: realistic proportions', () => {
  const leads = plan.records.Lead;
  const count = (f: (l: SeedRecord) => boolean) => leads.filter(f).length;

  it('spreads leads over sources and statuses like a real funnel', () => {
    const sources = new Set(leads.map((l) => l.fields.LeadSource));
    expect(sources.size).toBe(9);
    expect(
      share(
        count((l) => l.fields.Status === 'New'),
        2000
      )
    ).toBeGreaterThan(0.1);
    expect(
      share(
        count((l) => l.fields.MQL_At__c !== null),
        2000
      )
    ).toBeGreaterThan(0.7);
    expect(
      share(
        count((l) => l.fields.IsConverted === true),
        2000
      )
    ).toBeGreaterThan(0.07);
    expect(
      share(
        count((l) => l.fields.IsConverted === true),
        2000
      )
    ).toBeLessThan(0.2);
    for (const s of ['Marketing Qualified', 'Sales Accepted', 'Sales Qualified', 'Recycled', 'Rejected'])
      expect(count((l) => l.fields.Status === s)).toBeGreaterThan(10);
    expect(count((l) => l.refs.OwnerId === 'Group:MQL_Queue')).toBeGreaterThan(0);
    // re-MQL after recycling
    expect(
      count((l) => (historyOf.get(l.key) ?? []).filter((h) => h.fields.NewValue === 'Marketing Qualified').length > 1)
    ).toBeGreaterThan(20);
    const perRep = plan.records.User.filter((u) => u.key.startsWith('User:rep-')).map((u) => count((l) => l.refs.OwnerId === u.key));
    expect(Math.min(...perRep)).toBeGreaterThan(50);
  });

  it('has the accept clock met, at risk and breached in realistic proportions, and some running now', () => {
    const outcomes = { met: 0, metAtRisk: 0, breached: 0, running: 0, atRisk: 0, overdue: 0 };
    for (const lead of leads) {
      let start: number | undefined;
      let status = 'New';
      for (const h of historyOf.get(lead.key) ?? []) {
        const at = t(h.fields.CreatedDate);
        if (h.fields.Field === 'Status') status = String(h.fields.NewValue);
        if (
          h.fields.Field === 'Owner' &&
          h.fields.DataType === 'EntityId' &&
          h.refs.NewValue.startsWith('User:rep') &&
          status === 'Marketing Qualified'
        )
          start = at;
        if (h.fields.Field === 'Status' && status !== 'Marketing Qualified' && start !== undefined) {
          const m = cal.diff(start, at);
          outcomes[m > 60 ? 'breached' : m >= 45 ? 'metAtRisk' : 'met']++;
          start = undefined;
        }
      }
      if (start !== undefined) {
        const m = cal.diff(start, nowMs);
        outcomes[m > 60 ? 'overdue' : m >= 45 ? 'atRisk' : 'running']++;
      }
    }
    const decided = outcomes.met + outcomes.metAtRisk + outcomes.breached;
    expect(share(outcomes.met + outcomes.metAtRisk, decided)).toBeGreaterThan(0.6);
    expect(share(outcomes.met + outcomes.metAtRisk, decided)).toBeLessThan(0.9);
    expect(outcomes.metAtRisk).toBeGreaterThan(20);
    expect(outcomes.running).toBeGreaterThan(0);
    expect(outcomes.atRisk).toBeGreaterThan(0);
    expect(outcomes.overdue).toBeGreaterThan(0);
  });

  it('has first touches that are fast, late and missing, some outside business hours', () => {
    const reps = [...plan.records.Task, ...plan.records.Event].filter(
      (a) => String(a.refs.OwnerId).startsWith('User:rep') && a.fields.Status !== 'Not Started'
    );
    expect(reps.some((a) => !cal.isOpen(t(a.fields.CreatedDate)))).toBe(true);
    const touched = new Set(reps.map((a) => a.refs.WhoId));
    const assigned = leads.filter((l) =>
      (historyOf.get(l.key) ?? []).some((h) => h.fields.DataType === 'EntityId' && h.refs.NewValue.startsWith('User:rep'))
    );
    const never = assigned.filter((l) => !touched.has(l.key) && !touched.has(l.refs.ConvertedContactId));
    expect(share(never.length, assigned.length)).toBeGreaterThan(0.05);
    expect(share(never.length, assigned.length)).toBeLessThan(0.35);
  });

  it('closes deals won and lost, leaves some open, and has reviews on time, late and missing', () => {
    const opps = plan.records.Opportunity;
    const won = opps.filter((o) => o.fields.StageName === 'Closed Won');
    const lost = opps.filter((o) => o.fields.StageName === 'Closed Lost');
    expect(won.length).toBeGreaterThan(20);
    expect(lost.length).toBeGreaterThan(20);
    expect(opps.length - won.length - lost.length).toBeGreaterThan(20);
    const reviews = new Map(plan.records.Win_Loss_Review__c.map((r) => [r.refs.Opportunity__c, r]));
    const timing = { onTime: 0, late: 0, missing: 0 };
    for (const o of [...won, ...lost]) {
      const rows = stageHistoryOf.get(o.key)!;
      const closedAt = t(rows[rows.length - 1].fields.CreatedDate);
      const r = reviews.get(o.key);
      if (!r) timing.missing++;
      else timing[cal.diff(closedAt, t(r.fields.Submitted_At__c)) <= 2700 ? 'onTime' : 'late']++;
    }
    expect(timing.onTime).toBeGreaterThan(timing.late);
    expect(timing.late).toBeGreaterThan(5);
    expect(timing.missing).toBeGreaterThan(5);
  });
});
