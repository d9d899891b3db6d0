import type { Connection } from 'jsforce';
import { OrgData, soql, soqlFields, soqlLike, soqlName } from '../org/data';
import { bulk2Client } from '../org/data/bulkClient';
import type { OrgRecord, SaveResult, Soql } from '../org/data';
import { assignPermissionSets, ensureLocalSyncUser, PersonaError } from '../org/personas';
import {
  DEMO_EMAIL_TLD,
  MATCH_FIELD,
  SEED_OBJECTS,
  SHARED_OBJECTS,
  type SeedBatch,
  type SeedObject,
  type SeedPlan,
  type SeedPlanStream,
  type SeedRecord,
  type SeedValue
} from './types';
import { settle, startBatchWrites, type BatchWrites } from './batchWrites';
import { LOCAL_RESET_ORDER, SeedLoadError, type LoadOptions, type LoadResult } from './loadOptions';
import { countSteps, replaySteps, soapConvert } from './orgReplay';
import { errorText, RecordBodies, refersTo } from './recordBodies';

export {
  LOCAL_RESET_ORDER,
  SeedLoadError,
  type LeadConvertRequest,
  type LeadConvertResult,
  type LeadConverter,
  type LoadOptions,
  type LoadResult,
  type SeedMode,
  type SeedProgress
} from './loadOptions';

const MAX_BATCH = 200;
/** Records a load sends at once when it goes through Bulk ingest jobs (on the local org, two jobs each). */
const BULK_BATCH = 100_000;
const CONVERT_BATCH = 100;
/** The longest wait between two checks of a Bulk job's status on the local org. */
const LOCAL_POLL_MS = 500;

/**
 * Writes a plan through a jsforce Connection (composite/sobjects collections, allOrNone; an object of more than
 * `bulkIngestThreshold` records in Bulk API 2.0 ingest jobs), parents before
 * children, in batches, reporting progress. See SeedMode for what each mode does and how re-running behaves.
 */
export async function loadSeedPlan(conn: Connection, plan: SeedPlan, options: LoadOptions): Promise<LoadResult> {
  if (options.mode === 'local') {
    const leadObjects = SEED_OBJECTS.filter((o) => !SHARED_OBJECTS.includes(o));
    const batch = { leads: plan.leads, records: recordsOf(plan.records, leadObjects) };
    const shared = recordsOf(plan.records, SHARED_OBJECTS);
    const pacedBatches = (async function* () {
      yield batch;
    })();
    return loadSeedStream(conn, { ...plan, shared, batches: [batch], pacedBatches }, options);
  }
  const loader = new Loader(conn, plan.records, options);
  const result = await loader.loadOrg();
  result.requests = loader.data.requests;
  return result;
}

/**
 * Local mode, in bounded memory: the shared records first, then the batches of leads of `stream.pacedBatches`, the
 * next one made while the org writes the current one. Memory follows two batches, not the org.
 */
export async function loadSeedStream(conn: Connection, stream: SeedPlanStream, options: Omit<LoadOptions, 'mode'>): Promise<LoadResult> {
  const loader = new Loader(conn, stream.shared, { ...options, mode: 'local' });
  const result = await loader.loadLocal(stream.pacedBatches, stream.leads);
  result.requests = loader.data.requests;
  return result;
}

/** Only these objects' records (the others' lists empty). */
function recordsOf(records: SeedPlan['records'], objects: readonly SeedObject[]): SeedPlan['records'] {
  return Object.fromEntries(SEED_OBJECTS.map((o) => [o, objects.includes(o) ? records[o] : []])) as SeedPlan['records'];
}

class Loader {
  private readonly ids = new Map<string, string>();
  private readonly bodies: RecordBodies;
  private readonly result: LoadResult;
  private readonly batch: number;
  private done = 0;
  private total = 0;
  /** every read and write of the load goes through the org data layer */
  readonly data: OrgData;
  /** an object with more records than this is written in Bulk ingest jobs */
  private readonly bulkAt: number;

  /** `records`: the whole plan (org mode), or its shared records (local mode, whose leads come in batches) */
  constructor(
    private readonly conn: Connection,
    private readonly records: SeedPlan['records'],
    private readonly options: LoadOptions
  ) {
    this.bulkAt = options.bulk === false ? Infinity : (options.bulkIngestThreshold ?? 10_000);
    // the local org: a job's status is checked at least every LOCAL_POLL_MS, a job of known size too (a check costs
    // it little, and several jobs run side by side, so a job's rate says little of when it ends: a longer wait
    // leaves the org idle after the last of them ends); a write of BULK_BATCH records goes in two jobs, the second
    // uploaded while the org works on the first
    const bulk =
      options.bulk ??
      (options.mode === 'local'
        ? bulk2Client(conn, { maxPollInterval: LOCAL_POLL_MS, maxPacedWait: LOCAL_POLL_MS, maxRecordsPerJob: BULK_BATCH / 2 })
        : undefined);
    this.data = new OrgData(conn, { bulk, bulkIngestThreshold: options.bulkIngestThreshold });
    this.batch = Math.max(1, Math.min(MAX_BATCH, options.batchSize ?? MAX_BATCH));
    this.bodies = new RecordBodies(this.ids, options.mode);
    this.result = { mode: options.mode, created: {}, updated: {}, deleted: {}, ids: this.ids, requests: 0 };
  }

  // ---- local ----------------------------------------------------------------------------------

  async loadLocal(batches: AsyncIterable<SeedBatch>, leads: number): Promise<LoadResult> {
    const objects = await this.objectNames();
    const toDelete: Array<[string, number]> = [];
    for (const sobject of LOCAL_RESET_ORDER) {
      if (!objects.has(sobject.toLowerCase())) continue;
      const n = await this.data.count(soql`SELECT COUNT() FROM ${soqlName(sobject)}`);
      if (n > 0) toDelete.push([sobject, n]);
    }
    const members = await this.existingQueueMembers();
    // the demo queues take leads, as in an org (Setup > Queues > Supported Objects)
    const queueObjects = objects.has('queuesobject') ? await this.existingQueueMembers('QueueSobject') : [];
    const queues = objects.has('queuesobject') ? this.records.Group : [];
    // the first batch is made before the progress total is set: the total counts the records of the batches
    // made so far and, for the leads still to come, as many records a lead
    const pending = batches[Symbol.asyncIterator]();
    let next = await pending.next();
    let madeLeads = 0;
    let madeRecords = 0;
    const fixed =
      toDelete.reduce((s, [, n]) => s + n, 0) +
      members.length +
      queueObjects.length +
      SEED_OBJECTS.reduce((s, o) => s + this.records[o].length, 0) +
      queues.length;
    const estimate = () => {
      if (!next.done) {
        madeLeads += next.value.leads;
        madeRecords += SEED_OBJECTS.reduce((s, o) => s + next.value!.records[o].length, 0);
      }
      const perLead = madeLeads > 0 ? madeRecords / madeLeads : 0;
      this.total = fixed + madeRecords + Math.round(Math.max(0, leads - madeLeads) * perLead);
    };
    estimate();

    for (const [sobject, n] of toDelete) await this.destroyAll(sobject, n);
    if (members.length > 0) await this.destroy('GroupMember', members);
    if (queueObjects.length > 0) await this.destroy('QueueSobject', queueObjects);
    await this.resolveProfiles();
    for (const sobject of SHARED_OBJECTS) {
      const records = this.records[sobject];
      if (sobject === 'PermissionSetAssignment') await this.assignPersonas(records, true);
      else if (MATCH_FIELD[sobject]) await this.upsertByName(sobject, records, (r) => r.fields);
      else await this.insert(sobject, records, (r) => this.bodies.body(r, 'insert'));
      if (sobject === 'Group') {
        await this.insert('QueueSobject', queues, (g) => ({ QueueId: this.ids.get(g.key), SobjectType: 'Lead' }), false);
      }
    }
    // a batch refers to shared records and to its own: the Ids of a batch are let go once it is written
    const shared = new Map(this.ids);
    let before: BatchWrites | undefined;
    let lastIds = shared;
    while (!next.done) {
      const batch = next.value;
      // the next batch is made while this one is written (the stream works between this load's requests)
      const following = pending.next();
      following.catch(() => undefined);
      // an object goes to Bulk ingest jobs when the whole load has more of it than the threshold, as if loaded at once
      const scale = batch.leads > 0 ? leads / batch.leads : 1;
      const ids = new Map(shared);
      const writes = startBatchWrites(batch, SHARED_OBJECTS, before, (sobject, referenced) => {
        const records = batch.records[sobject];
        // the Ids of records nothing refers to are not needed (a Bulk job's successful rows are not downloaded)
        return this.insert(sobject, records, (r) => this.bodies.body(r, 'insert', [], ids), referenced, records.length * scale, ids);
      });
      // two batches in flight at most: the one before is written before the one after is taken
      if (before) {
        try {
          await settle(before);
        } catch (e) {
          await settle(writes).catch(() => undefined);
          throw e;
        }
      }
      before = writes;
      lastIds = ids;
      next = await following;
      estimate();
    }
    if (before) await settle(before);
    this.ids.clear();
    for (const [key, id] of lastIds) this.ids.set(key, id);
    return this.result;
  }

  // ---- org ------------------------------------------------------------------------------------

  async loadOrg(): Promise<LoadResult> {
    const existing = await this.data.count(soql`SELECT COUNT() FROM Lead WHERE Email LIKE ${soqlLike(DEMO_EMAIL_TLD, 'endsWith')}`);
    if (existing > 0) {
      this.result.skipped = `the org already has demo data (${existing} leads with ${DEMO_EMAIL_TLD} e-mail addresses); nothing written`;
      return this.result;
    }
    const objects = await this.objectNames();
    const r = this.records;
    const leadSteps = replaySteps(
      r.LeadHistory,
      'LeadId',
      (h) => h.fields.Field === 'Status' || (h.fields.Field === 'Owner' && h.fields.DataType === 'EntityId')
    );
    const oppSteps = replaySteps(r.OpportunityFieldHistory, 'OpportunityId', (h) => h.fields.Field === 'StageName');
    const converted = r.Lead.filter((l) => l.fields.IsConverted === true);
    this.total =
      r.User.length + (this.options.users === 'existing' ? 0 : r.PermissionSetAssignment.length) + r.Group.length + r.GroupMember.length + r.BusinessHours.length + r.Holiday.length + r.Campaign.length +
      r.Lead.length * 2 + countSteps(leadSteps) + converted.length * 4 + countSteps(oppSteps) +
      r.CampaignMember.length + r.Task.length + r.Event.length + r.Lead_Quality_Feedback__c.length + r.Win_Loss_Review__c.length; // prettier-ignore

    await this.resolveProfiles();
    await this.orgUsers(r.User);
    // the persona sets go to the users the seed created; users it only borrowed keep theirs (org setup assigns them)
    if (this.options.users !== 'existing') await this.assignPersonas(r.PermissionSetAssignment, false);
    const newQueues = await this.upsertByName('Group', r.Group, (rec) => rec.fields);
    if (objects.has('queuesobject')) {
      await this.insert(
        'QueueSobject',
        r.Group.filter((g) => newQueues.has(g.key)).map((g) => ({ ...g, sobject: 'Group' as SeedObject, key: `QueueSobject:${g.key}` })),
        (g) => ({ QueueId: this.ids.get(g.key.slice('QueueSobject:'.length)), SobjectType: 'Lead' }),
        false
      );
    }
    await this.insert(
      'GroupMember',
      r.GroupMember.filter((m) => newQueues.has(m.refs.GroupId)),
      (m) => this.bodies.body(m, 'insert')
    );
    await this.upsertByName('BusinessHours', r.BusinessHours, (rec) => rec.fields);
    await this.upsertByName('Holiday', r.Holiday, (rec) => rec.fields);
    await this.insert('Campaign', r.Campaign, (c) => this.bodies.body(c, 'insert'));

    // leads as they were created, then their history replayed as updates, step by step
    const initialOwner = new Map<string, string>();
    for (const steps of leadSteps.values()) {
      const first = steps.flat().find((h) => h.fields.Field === 'Owner');
      if (first) initialOwner.set(first.refs.LeadId, first.refs.OldValue);
    }
    await this.insert('Lead', r.Lead, (l) => {
      const b = this.bodies.body(l, 'insert', [
        'Status',
        'OwnerId',
        'MQL_At__c',
        'Accepted_At__c',
        'Quality_Rating__c',
        'Recycle_Count__c',
        'Needs_Dedupe__c'
      ]);
      return { ...b, Status: 'New', OwnerId: this.bodies.ref(initialOwner.get(l.key) ?? l.refs.OwnerId, 'OwnerId') };
    });
    await this.insert('CampaignMember', r.CampaignMember, (m) => this.bodies.body(m, 'insert', ['ContactId']));
    await this.replay('Lead', leadSteps, (h) => h.fields.Field === 'Status' && h.fields.NewValue === 'Converted');
    const leadFinal = (l: SeedRecord) =>
      this.bodies.pick(l, ['MQL_At__c', 'Accepted_At__c', 'Quality_Rating__c', 'Recycle_Count__c', 'Needs_Dedupe__c']);
    await this.update(
      'Lead',
      r.Lead.map((l) => ({ key: l.key, body: leadFinal(l) }))
    );

    await this.convert(converted);
    const opps = new Map(r.Opportunity.map((o) => [o.key, o]));
    await this.update(
      'Account',
      r.Account.map((a) => ({ key: a.key, body: this.bodies.body(a, 'update', ['OwnerId']) }))
    );
    await this.update(
      'Contact',
      r.Contact.map((c) => ({ key: c.key, body: this.bodies.body(c, 'update', ['OwnerId', 'AccountId']) }))
    );
    await this.update(
      'Opportunity',
      [...opps.values()].map((o) => ({
        key: o.key,
        body: {
          ...this.bodies.body(o, 'update', ['OwnerId', 'AccountId']),
          StageName: 'Qualification',
          Probability: null,
          CloseDate: o.fields.CloseDate
        }
      }))
    );
    await this.replay('Opportunity', oppSteps, () => false);
    await this.update(
      'Opportunity',
      r.Opportunity.map((o) => ({ key: o.key, body: this.bodies.pick(o, ['Probability']) }))
    );

    for (const sobject of ['Task', 'Event', 'Lead_Quality_Feedback__c', 'Win_Loss_Review__c'] as const) {
      await this.insert(sobject, r[sobject], (rec) => this.bodies.body(rec, 'insert'));
    }
    return this.result;
  }

  /** org mode: users are created (with a username suffix) or mapped onto the org's active users. */
  private async orgUsers(users: SeedRecord[]): Promise<void> {
    const suffix = this.options.usernameSuffix ?? '';
    if (this.options.users === 'existing') {
      const active = await this.queryIds(
        soql`SELECT Id FROM User WHERE IsActive = true AND UserType = 'Standard' ORDER BY CreatedDate, Id LIMIT 50`
      );
      if (active.length === 0) throw new SeedLoadError('the org has no active standard users to own the demo data');
      users.forEach((u, i) => this.ids.set(u.key, active[i % active.length]));
      this.tick('User', users.length);
      return;
    }
    await this.upsertByName('User', users, (u) => ({ ...u.fields, Username: `${String(u.fields.Username)}${suffix}` }));
  }

  /**
   * The demo users' persona permission sets (plan PermissionSetAssignment rows), through the one implementation
   * in scripts/org/personas.ts: an assignment the org has already is kept. In the local org also its integration
   * user, Closed Loop Sync with Closed_Loop_Sync, whom the SLA sync runs as there (a real org has its own).
   */
  private async assignPersonas(records: SeedRecord[], localSyncUser: boolean): Promise<void> {
    const grants = records.map((a) => ({
      userId: this.bodies.ref(a.refs.AssigneeId, `${a.key}.AssigneeId`),
      permissionSet: a.refs.PermissionSetId.slice('PermissionSet:'.length)
    }));
    try {
      // on the loader's connection, so the data layer's request count includes these
      const { assigned } = await assignPermissionSets(this.conn, grants);
      if (assigned > 0) this.count_('created', 'PermissionSetAssignment', assigned);
      if (localSyncUser) {
        const sync = await ensureLocalSyncUser(this.conn);
        if (sync.created) this.count_('created', 'User', 1);
        if (sync.assigned) this.count_('created', 'PermissionSetAssignment', 1);
      }
    } catch (e) {
      if (e instanceof PersonaError) throw new SeedLoadError(e.message);
      throw e;
    }
    this.tick('PermissionSetAssignment', records.length);
  }

  /** Leads the plan converts: SOAP convertLead (or the given converter), then the plan's keys point at the new records. */
  private async convert(leads: SeedRecord[]): Promise<void> {
    const convert = this.options.convertLeads ?? soapConvert;
    for (let i = 0; i < leads.length; i += CONVERT_BATCH) {
      const chunk = leads.slice(i, i + CONVERT_BATCH);
      const requests = chunk.map((l) => ({
        leadId: this.bodies.ref(l.key, 'Id'),
        convertedStatus: String(l.fields.Status),
        ownerId: this.bodies.ref(l.refs.OwnerId, 'OwnerId'),
        opportunityName: String(
          this.records.Opportunity.find((o) => o.key === l.refs.ConvertedOpportunityId)?.fields.Name ?? l.fields.Company
        )
      }));
      const results = await convert(this.conn, requests);
      chunk.forEach((l, j) => {
        const res = results[j];
        if (!res?.accountId || !res.contactId || !res.opportunityId) throw new SeedLoadError(`converting ${l.key} failed`);
        this.ids.set(l.refs.ConvertedAccountId, res.accountId);
        this.ids.set(l.refs.ConvertedContactId, res.contactId);
        this.ids.set(l.refs.ConvertedOpportunityId, res.opportunityId);
      });
      this.count_('created', 'Account', chunk.length);
      this.count_('created', 'Contact', chunk.length);
      this.count_('created', 'Opportunity', chunk.length);
      this.tick('Lead (conversion)', chunk.length);
    }
  }

  /** Replays history steps as updates: step k of every record in one wave, so each record's changes land in order. */
  private async replay(
    sobject: 'Lead' | 'Opportunity',
    steps: Map<string, SeedRecord[][]>,
    skip: (h: SeedRecord) => boolean
  ): Promise<void> {
    const waves = Math.max(0, ...[...steps.values()].map((s) => s.length));
    for (let k = 0; k < waves; k++) {
      const updates: Array<{ key: string; body: Record<string, unknown> }> = [];
      for (const [key, s] of steps) {
        const step = s[k];
        if (!step || step.some(skip)) continue;
        const body: Record<string, unknown> = {};
        for (const h of step) {
          if (h.fields.Field === 'Owner') body.OwnerId = this.bodies.ref(h.refs.NewValue, 'OwnerId');
          else body[String(h.fields.Field)] = h.fields.NewValue;
        }
        updates.push({ key, body });
      }
      await this.update(sobject, updates, `${sobject} (history replay ${k + 1}/${waves})`);
    }
  }

  // ---- shared steps ---------------------------------------------------------------------------

  /** Setup records matched by name: updated in place when found, inserted otherwise. Returns the keys inserted. */
  private async upsertByName(
    sobject: SeedObject,
    records: SeedRecord[],
    fieldsOf: (r: SeedRecord) => Record<string, SeedValue>
  ): Promise<Set<string>> {
    const field = MATCH_FIELD[sobject]!;
    const omit = sobject === 'Group' ? ['Type'] : [];
    const wanted = records.map((r) => ({ ...r, fields: fieldsOf(r) }));
    const names = new Set<string>();
    for (const w of wanted)
      for (const f of [...Object.keys(w.fields), ...Object.keys(w.refs)]) if (this.bodies.updatable(w, f, omit)) names.add(f);
    const found = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < wanted.length; i += 100) {
      const values = wanted.slice(i, i + 100).map((w) => String(w.fields[field]));
      const rows = await this.queryAll<Record<string, unknown>>(
        soql`SELECT ${soqlFields(['Id', field, ...names])} FROM ${soqlName(sobject)} WHERE ${soqlName(field)} IN ${values}`
      );
      for (const row of rows) found.set(String(row[field]), row);
    }
    const inserts = wanted.filter((w) => !found.has(String(w.fields[field])));
    await this.insert(sobject, inserts, (r) => this.bodies.body(r, 'insert'));
    // then the ones the org has: only what differs (seeding again leaves them untouched); a user's manager may be new
    const updates: Array<{ key: string; body: Record<string, unknown> }> = [];
    for (const w of wanted) {
      const row = found.get(String(w.fields[field]));
      if (!row) continue;
      this.ids.set(w.key, String(row.Id));
      const body = this.bodies.body(w, 'update', omit);
      for (const [f, v] of Object.entries(body)) if ((row[f] ?? null) === (v ?? null)) delete body[f];
      if (Object.keys(body).length > 0) updates.push({ key: w.key, body });
    }
    await this.update(sobject, updates);
    this.tick(sobject, wanted.length - inserts.length - updates.length);
    return new Set(inserts.map((w) => w.key));
  }

  /**
   * Inserts in collections of up to `batch` records. A record that refers to a record still waiting in the current
   * collection (a rep's manager) closes the collection first, so every reference is an Id by the time it is sent.
   */
  private async insert<T extends SeedRecord>(
    sobject: string,
    records: T[],
    bodyOf: (r: T) => Record<string, unknown>,
    track = true,
    expected = records.length,
    ids = this.ids
  ): Promise<void> {
    let chunk: T[] = [];
    const pending = new Set<string>();
    const bulk = records.length > 0 && expected > this.bulkAt;
    const size = bulk ? BULK_BATCH : this.batch;
    const flush = async () => {
      if (chunk.length === 0) return;
      const results = await this.save(
        sobject,
        'create',
        chunk.map(bodyOf),
        chunk.map((r) => r.key),
        bulk,
        track
      );
      chunk.forEach((r, j) => {
        if (track) ids.set(r.key, results[j].id!);
      });
      this.count_('created', sobject, chunk.length);
      this.tick(sobject, chunk.length);
      chunk = [];
      pending.clear();
    };
    for (const r of records) {
      if (chunk.length >= size || refersTo(r, pending)) await flush();
      chunk.push(r);
      pending.add(r.key);
    }
    await flush();
  }

  private async update(sobject: string, updates: Array<{ key: string; body: Record<string, unknown> }>, step = sobject): Promise<void> {
    for (let i = 0; i < updates.length; i += this.batch) {
      const chunk = updates.slice(i, i + this.batch);
      await this.save(
        sobject,
        'update',
        chunk.map((u) => ({ ...u.body, Id: this.bodies.ref(u.key, 'Id') })),
        chunk.map((u) => u.key)
      );
      this.count_('updated', sobject, chunk.length);
      this.tick(step, chunk.length);
    }
  }

  /**
   * Deletes the `count` records an object had when the reset began, a Bulk job's worth of Ids read and deleted at a
   * time, so a large org is reset without holding all its Ids.
   */
  private async destroyAll(sobject: string, count: number): Promise<void> {
    for (let left = count; left > 0;) {
      const ids = await this.queryIds(soql`SELECT Id FROM ${soqlName(sobject)} LIMIT ${Math.min(left, BULK_BATCH)}`);
      if (ids.length === 0) return;
      await this.destroy(sobject, ids, count > this.bulkAt);
      left -= ids.length;
    }
  }

  private async destroy(sobject: string, ids: string[], bulk = ids.length > this.bulkAt): Promise<void> {
    const size = bulk ? BULK_BATCH : this.batch;
    for (let i = 0; i < ids.length; i += size) {
      const chunk = ids.slice(i, i + size);
      const results = await this.data.delete(sobject, chunk, { allOrNone: !bulk });
      const failed = results.find((r) => !r.success);
      if (failed) throw new SeedLoadError(`deleting ${sobject} records failed: ${errorText(failed)}`);
      this.count_('deleted', sobject, chunk.length);
      this.tick(`${sobject} (delete)`, chunk.length);
    }
  }

  private async save(
    sobject: string,
    op: 'create' | 'update',
    bodies: Array<Record<string, unknown>>,
    keys: string[],
    bulk = false,
    ids = true
  ): Promise<SaveResult[]> {
    if (bodies.length === 0) return [];
    // a Bulk job is never all-or-none: its first failure stops the load as a collection's would, and seeding
    // the local org again starts from its reset
    const opts = ids ? { allOrNone: !bulk } : { allOrNone: !bulk, ids: false };
    let results: SaveResult[];
    try {
      results = op === 'create' ? await this.data.insert(sobject, bodies, opts) : await this.data.update(sobject, bodies, opts);
    } catch (err) {
      throw new SeedLoadError(
        `${op === 'create' ? 'inserting' : 'updating'} ${sobject} failed: ${err instanceof Error ? err.message : String(err)}`
      );
    }
    const i = results.findIndex((r) => !r.success && !errorText(r).includes('ALL_OR_NONE_OPERATION_ROLLED_BACK'));
    const j = i >= 0 ? i : results.findIndex((r) => !r.success);
    if (j >= 0) throw new SeedLoadError(`${op === 'create' ? 'inserting' : 'updating'} ${keys[j]} failed: ${errorText(results[j])}`);
    return results;
  }

  private async resolveProfiles(): Promise<void> {
    const names = new Set<string>();
    for (const u of this.records.User) if (u.refs.ProfileId) names.add(u.refs.ProfileId.slice('Profile:'.length));
    if (names.size === 0) return;
    const rows = await this.queryAll<{ Id: string; Name: string }>(soql`SELECT Id, Name FROM Profile WHERE Name IN ${[...names]}`);
    for (const row of rows) this.ids.set(`Profile:${row.Name}`, row.Id);
    for (const n of names)
      if (!this.ids.has(`Profile:${n}`)) throw new SeedLoadError(`the org has no profile named "${n}" for the demo users`);
  }

  /** The GroupMember (or QueueSobject) rows of the demo queues already in the org. */
  private async existingQueueMembers(sobject: 'GroupMember' | 'QueueSobject' = 'GroupMember'): Promise<string[]> {
    const names = this.records.Group.map((g) => String(g.fields.DeveloperName));
    if (names.length === 0) return [];
    const groups = await this.queryIds(soql`SELECT Id FROM Group WHERE DeveloperName IN ${names}`);
    if (groups.length === 0) return [];
    const parent = sobject === 'GroupMember' ? 'GroupId' : 'QueueId';
    return this.queryIds(soql`SELECT Id FROM ${soqlName(sobject)} WHERE ${soqlName(parent)} IN ${groups}`);
  }

  private async objectNames(): Promise<Set<string>> {
    const global = await this.conn.describeGlobal();
    return new Set(global.sobjects.map((o) => o.name.toLowerCase()));
  }

  private async queryIds(query: Soql): Promise<string[]> {
    return (await this.queryAll<{ Id: string }>(query)).map((r) => r.Id);
  }

  /** Every record of a query (the ids of what local mode replaces: any number). */
  private queryAll<T extends Record<string, unknown>>(query: Soql): Promise<T[]> {
    return this.data.all<T & OrgRecord>(query, { max: Number.MAX_SAFE_INTEGER });
  }

  private count_(kind: 'created' | 'updated' | 'deleted', sobject: string, n: number): void {
    this.result[kind][sobject] = (this.result[kind][sobject] ?? 0) + n;
  }

  private tick(step: string, n: number): void {
    this.done += n;
    this.options.onProgress?.({ step, done: Math.min(this.done, this.total), total: this.total });
  }
}
