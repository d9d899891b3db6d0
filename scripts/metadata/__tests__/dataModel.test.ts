import * as fs from 'node:fs';
import * as path from 'node:path';
import { FieldDef, FieldType, ObjectDef, readObjects } from '../objects';
import { asArray, readXml, rootOf, text, XmlNode } from '../xml';
import { DEMO_DIR, PACKAGE_DIR } from '../../project';

/**
 * The data model written out field by field: every API name below is a contract, because reports,
 * LWC schema imports, the SLA sync, the CLI and the local org all code against these names and types.
 * Renaming or retyping a field breaks them, so it fails here first, next to the stated shape. Then the
 * permission sets: who may read and edit what — the people measured (reps, marketing, managers) never
 * edit the measurement; only the integration user the SLA sync runs as (Closed_Loop_Sync) writes it.
 */

interface FieldSpec {
  type: FieldType;
  length?: number;
  precision?: number;
  scale?: number;
  required?: boolean;
  values?: string[];
  referenceTo?: string;
  relationshipName?: string;
  deleteConstraint?: string;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  defaultValue?: string;
  visibleLines?: number;
}

interface ObjectSpec {
  sharingModel?: string;
  nameField?: { type: 'Text' | 'AutoNumber'; displayFormat?: string };
  fields: Record<string, FieldSpec>;
}

const REASONS = [
  'Good fit',
  'Not decision maker',
  'No budget',
  'No need',
  'Bad timing',
  'Bad contact data',
  'Already in contact',
  'Duplicate',
  'Competitor',
  'Student or job seeker',
  'Spam'
];
const WIN_LOSS_REASONS = [
  'Price',
  'Product fit',
  'Relationship',
  'Timing',
  'Competitor',
  'No budget',
  'Champion left',
  'Lead quality',
  'Implementation risk',
  'Other',
  'Unknown'
];
const CLOCKS = ['Accept', 'First Touch', 'Win/Loss Review'];
const TIMER_STATUSES = ['Running', 'At Risk', 'Paused', 'Met', 'Breached', 'Cancelled'];

const checkbox: FieldSpec = { type: 'Checkbox', defaultValue: 'false' };
const dateTime: FieldSpec = { type: 'DateTime' };
const textField = (length: number): FieldSpec => ({ type: 'Text', length });
const number = (precision: number, scale: number): FieldSpec => ({ type: 'Number', precision, scale });
const picklist = (values: string[]): FieldSpec => ({ type: 'Picklist', values });

const CONTRACT: Record<string, ObjectSpec> = {
  Lead_Quality_Feedback__c: {
    sharingModel: 'Read',
    nameField: { type: 'AutoNumber', displayFormat: 'LQF-{000000}' },
    fields: {
      // optional with SetNull, so deleting or merging a lead never fails on its feedback; required on create by Lead_Required
      Lead__c: {
        type: 'Lookup',
        referenceTo: 'Lead',
        required: false,
        deleteConstraint: 'SetNull',
        relationshipName: 'Lead_Quality_Feedback'
      },
      Rating__c: number(1, 0),
      Disposition__c: picklist(['Accept', 'Recycle', 'Reject']),
      Reason__c: picklist(REASONS),
      Budget__c: checkbox,
      Authority__c: checkbox,
      Need__c: checkbox,
      Timeline__c: checkbox,
      Comment__c: { type: 'LongTextArea', length: 32768 },
      Lead_Source__c: textField(255),
      Campaign__c: { type: 'Lookup', referenceTo: 'Campaign', deleteConstraint: 'SetNull' },
      Submitted_At__c: dateTime
    }
  },
  SLA_Timer__c: {
    sharingModel: 'Read',
    nameField: { type: 'AutoNumber', displayFormat: 'SLA-{000000}' },
    fields: {
      Lead__c: { type: 'Lookup', referenceTo: 'Lead', deleteConstraint: 'SetNull', relationshipName: 'SLA_Timers' },
      Opportunity__c: { type: 'Lookup', referenceTo: 'Opportunity', deleteConstraint: 'SetNull', relationshipName: 'SLA_Timers' },
      Clock__c: picklist(CLOCKS),
      Accountable_User__c: { type: 'Lookup', referenceTo: 'User' },
      Policy__c: textField(80),
      Started_At__c: dateTime,
      Warn_At__c: dateTime,
      Due_At__c: dateTime,
      Stopped_At__c: dateTime,
      Status__c: picklist(TIMER_STATUSES),
      Target_Minutes__c: number(9, 0),
      Elapsed_Business_Minutes__c: number(12, 2),
      Timer_Key__c: { type: 'Text', length: 255, externalId: true, unique: true, caseSensitive: true },
      Escalated__c: checkbox,
      Calendar__c: { type: 'Lookup', referenceTo: 'SLA_Calendar__c', deleteConstraint: 'SetNull' }
    }
  },
  SLA_Calendar__c: {
    sharingModel: 'Read',
    nameField: { type: 'Text' },
    fields: {
      Business_Hours_Id__c: { type: 'Text', length: 18, externalId: true, unique: true },
      Definition__c: { type: 'LongTextArea', length: 131072 },
      Synced_At__c: dateTime
    }
  },
  Win_Loss_Review__c: {
    sharingModel: 'Read',
    nameField: { type: 'AutoNumber', displayFormat: 'WLR-{000000}' },
    fields: {
      Opportunity__c: {
        type: 'Lookup',
        referenceTo: 'Opportunity',
        required: false,
        deleteConstraint: 'SetNull',
        relationshipName: 'Win_Loss_Reviews'
      },
      Outcome__c: picklist(['Won', 'Lost', 'No Decision']),
      Primary_Reason__c: picklist(WIN_LOSS_REASONS),
      Secondary_Reasons__c: { type: 'MultiselectPicklist', values: WIN_LOSS_REASONS, visibleLines: 6 },
      Competitor__c: textField(255),
      Marketing_Influence__c: picklist(['Sourced', 'Influenced', 'None', 'Unknown']),
      Lead_Quality_Retrospective__c: number(1, 0),
      Lessons__c: { type: 'LongTextArea', length: 32768 },
      Submitted_At__c: dateTime
    }
  },
  Lead: {
    fields: {
      MQL_At__c: dateTime,
      Accepted_At__c: dateTime,
      Quality_Rating__c: number(1, 0),
      Recycle_Count__c: { ...number(4, 0), defaultValue: '0' },
      SLA_Status__c: textField(40),
      Needs_Dedupe__c: checkbox
    }
  },
  Opportunity: {
    fields: {
      Marketing_Sourced__c: checkbox,
      Win_Loss_Review_Status__c: textField(40)
    }
  },
  SLA_Policy__mdt: {
    fields: {
      Clock__c: picklist(CLOCKS),
      Object__c: picklist(['Lead', 'Opportunity']),
      Target_Minutes__c: number(9, 0),
      Warning_Percent__c: number(3, 0),
      Business_Hours_Name__c: textField(80),
      Start_Statuses__c: textField(255),
      Stop_Statuses__c: textField(255),
      Pause_Statuses__c: textField(255),
      Cancel_Statuses__c: textField(255),
      Backdate_Grace_Minutes__c: number(6, 0),
      Recycle_Statuses__c: textField(255),
      Recycle_Queue__c: textField(80),
      Restart_On_Reassign__c: checkbox,
      Create_Task_On_Breach__c: checkbox,
      Notify_Manager__c: checkbox,
      Active__c: checkbox
    }
  },
  Alignment_Commitment__mdt: {
    fields: {
      Side__c: picklist(['Marketing', 'Sales']),
      Metric__c: picklist([
        'MQL Volume',
        'Average Lead Quality',
        'Marketing Share of Closed Won Revenue',
        'Win/Loss Reporting',
        'Accept Within SLA',
        'First Touch Within SLA',
        'Mandatory Fields Complete',
        'Win/Loss Review Completion',
        'Marketing Sourced Close Ratio'
      ]),
      Target__c: number(16, 2),
      Comparison__c: picklist(['At Least', 'At Most']),
      Unit__c: picklist(['Count', 'Percent', 'Rating', 'Minutes']),
      Period__c: picklist(['Month', 'Quarter']),
      Report__c: textField(80),
      Description__c: { type: 'TextArea' }
    }
  }
};

const objects = readObjects(path.join(PACKAGE_DIR, 'main', 'default', 'objects'));

function objectOf(name: string): ObjectDef {
  const obj = objects.get(name);
  if (!obj) throw new Error(`object ${name} is missing from force-app`);
  return obj;
}

function fieldOf(objectName: string, fieldName: string): FieldDef {
  const field = objectOf(objectName).fields.get(fieldName);
  if (!field) throw new Error(`field ${objectName}.${fieldName} is missing from force-app`);
  return field;
}

/** The attributes of a field that the spec talks about, in the spec's shape, for one readable diff. */
function actualShape(field: FieldDef, spec: FieldSpec): FieldSpec {
  const shape: FieldSpec = { type: field.type };
  if (spec.length !== undefined) shape.length = field.length;
  if (spec.precision !== undefined) shape.precision = field.precision;
  if (spec.scale !== undefined) shape.scale = field.scale;
  if (spec.required !== undefined) shape.required = field.required;
  if (spec.values !== undefined) shape.values = field.picklistValues?.map((v) => v.fullName);
  if (spec.referenceTo !== undefined) shape.referenceTo = field.referenceTo;
  if (spec.relationshipName !== undefined) shape.relationshipName = field.relationshipName;
  if (spec.deleteConstraint !== undefined) shape.deleteConstraint = field.deleteConstraint;
  if (spec.externalId !== undefined) shape.externalId = field.externalId;
  if (spec.unique !== undefined) shape.unique = field.unique;
  if (spec.caseSensitive !== undefined) shape.caseSensitive = field.caseSensitive;
  if (spec.defaultValue !== undefined) shape.defaultValue = field.defaultValue;
  if (spec.visibleLines !== undefined) shape.visibleLines = field.visibleLines;
  return shape;
}

const fieldCases = Object.entries(CONTRACT).flatMap(([objectName, spec]) =>
  Object.entries(spec.fields).map(([fieldName, fieldSpec]) => [`${objectName}.${fieldName}`, objectName, fieldName, fieldSpec] as const)
);

describe('data model (the API names and types the package promises)', () => {
  test.each(fieldCases)('%s exists with the stated type', (_label, objectName, fieldName, spec) => {
    expect(actualShape(fieldOf(objectName, fieldName), spec)).toEqual(spec);
  });

  test.each(Object.entries(CONTRACT).filter(([, spec]) => spec.sharingModel))(
    '%s is a custom object with its sharing model and name field',
    (objectName, spec) => {
      const obj = objectOf(objectName);
      expect(obj.sharingModel).toBe(spec.sharingModel);
      expect(obj.nameField).toMatchObject(spec.nameField ?? {});
    }
  );

  test('picklists of the custom objects are restricted to their values', () => {
    const unrestricted = fieldCases
      .filter(([, objectName, , spec]) => spec.values && !objectName.endsWith('__mdt'))
      .filter(([, objectName, fieldName]) => !fieldOf(objectName, fieldName).restrictedPicklist)
      .map(([label]) => label);
    expect(unrestricted).toEqual([]);
  });

  test('the SLA engine sees Lead Status/Owner and Opportunity Stage changes in field history (set in config/demo, not packaged)', () => {
    // a package cannot carry history settings of standard fields; config/demo holds them for the local
    // and scratch orgs, and closed-loop org setup switches them on in any other org
    const demo = readObjects(path.join(DEMO_DIR, 'main', 'default', 'objects'));
    expect(demo.get('Lead')?.enableHistory).toBe(true);
    expect(demo.get('Opportunity')?.enableHistory).toBe(true);
    expect(demo.get('Lead')?.fields.get('Status')?.trackHistory).toBe(true);
    expect(demo.get('Lead')?.fields.get('OwnerId')?.trackHistory).toBe(true);
    expect(demo.get('Opportunity')?.fields.get('StageName')?.trackHistory).toBe(true);
    expect(objects.get('Lead')?.fields.has('Status')).toBe(false);
  });

  test.each([
    ['Lead_Quality_Feedback__c', 'Lead_Required', 'Lead__c'],
    ['Win_Loss_Review__c', 'Opportunity_Required', 'Opportunity__c']
  ])('%s.%s requires the lookup when the record is created, not afterwards', (objectName, rule, field) => {
    const file = path.join(PACKAGE_DIR, 'main', 'default', 'objects', objectName, 'validationRules', `${rule}.validationRule-meta.xml`);
    const { node } = rootOf(readXml(file));
    expect(text(node.active)).toBe('true');
    expect(text(node.errorConditionFormula)).toBe(`AND(ISNEW(), ISBLANK(${field}))`);
    expect(text(node.errorDisplayField)).toBe(field);
  });

  test('every custom field explains itself to admins (description) and users (help text)', () => {
    const missing: string[] = [];
    for (const obj of objects.values()) {
      for (const field of obj.fields.values()) {
        if (!field.fullName.endsWith('__c')) continue;
        if (!field.label || !field.description || !field.inlineHelpText) missing.push(`${obj.fullName}.${field.fullName}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

/** Custom metadata records of one type, as DeveloperName -> { field: value } (blank values absent). */
function customMetadataRecords(type: string): Map<string, Record<string, string>> {
  const dir = path.join(PACKAGE_DIR, 'main', 'default', 'customMetadata');
  const records = new Map<string, Record<string, string>>();
  for (const file of fs.readdirSync(dir).sort()) {
    const match = /^([^.]+)\.([^.]+)\.md-meta\.xml$/.exec(file);
    if (!match || match[1] !== type) continue;
    const { node } = rootOf(readXml(path.join(dir, file)));
    const values: Record<string, string> = {};
    for (const v of asArray<XmlNode>(node.values)) {
      const value = text(v.value);
      if (value !== undefined) values[text(v.field) ?? ''] = value;
    }
    records.set(match[2], values);
  }
  return records;
}

describe('default custom metadata records', () => {
  test('the three default SLA policies carry the contract targets and statuses', () => {
    const policies = customMetadataRecords('SLA_Policy');
    expect([...policies.keys()].sort()).toEqual(['Lead_Accept', 'Lead_First_Touch', 'Opportunity_Win_Loss_Review']);
    expect(policies.get('Lead_Accept')).toMatchObject({
      Clock__c: 'Accept',
      Object__c: 'Lead',
      Start_Statuses__c: 'Marketing Qualified',
      Stop_Statuses__c: 'Sales Accepted;Sales Qualified;Recycled;Rejected',
      Restart_On_Reassign__c: 'true',
      Create_Task_On_Breach__c: 'true',
      Notify_Manager__c: 'true',
      Active__c: 'true'
    });
    expect(policies.get('Lead_First_Touch')).toMatchObject({
      Clock__c: 'First Touch',
      Object__c: 'Lead',
      Start_Statuses__c: 'Marketing Qualified'
    });
    expect(policies.get('Lead_First_Touch')?.Stop_Statuses__c).toBeUndefined();
    // a lead sent back or turned down before its due time needs no first touch
    expect(policies.get('Lead_First_Touch')?.Cancel_Statuses__c).toBe('Recycled;Rejected');
    expect(policies.get('Lead_Accept')).toMatchObject({ Recycle_Statuses__c: 'Recycled', Recycle_Queue__c: 'Nurture Queue' });
    for (const p of policies.values()) expect(Number(p.Backdate_Grace_Minutes__c)).toBe(60);
    expect(policies.get('Opportunity_Win_Loss_Review')).toMatchObject({
      Clock__c: 'Win/Loss Review',
      Object__c: 'Opportunity',
      Start_Statuses__c: 'Closed Won;Closed Lost'
    });
    const minutes = Object.fromEntries(
      [...policies].map(([name, v]) => [name, [Number(v.Target_Minutes__c), Number(v.Warning_Percent__c)]])
    );
    expect(minutes).toEqual({ Lead_Accept: [60, 75], Lead_First_Touch: [240, 75], Opportunity_Win_Loss_Review: [2700, 75] });
  });

  test('there is one alignment commitment per metric, both sides commit, and every value is a valid picklist value', () => {
    const commitments = [...customMetadataRecords('Alignment_Commitment').values()];
    const spec = CONTRACT.Alignment_Commitment__mdt.fields;
    expect(commitments.map((c) => c.Metric__c).sort()).toEqual([...(spec.Metric__c.values ?? [])].sort());
    expect(new Set(commitments.map((c) => c.Side__c))).toEqual(new Set(['Marketing', 'Sales']));
    for (const c of commitments) {
      for (const field of ['Side__c', 'Comparison__c', 'Unit__c', 'Period__c']) {
        expect(spec[field].values).toContain(c[field]);
      }
      expect(Number(c.Target__c)).toBeGreaterThan(0);
    }
  });
});

describe('demo Lead statuses (config/demo, never packaged)', () => {
  const file = path.join(DEMO_DIR, 'main', 'default', 'standardValueSets', 'LeadStatus.standardValueSet-meta.xml');
  const values = asArray<XmlNode>(rootOf(readXml(file)).node.standardValue).map((v) => ({
    name: text(v.fullName),
    isDefault: text(v.default) === 'true',
    converted: text(v.converted) === 'true'
  }));

  test('are the contract values, New by default and Converted as the converted status', () => {
    expect(values.map((v) => v.name)).toEqual([
      'New',
      'Marketing Qualified',
      'Sales Accepted',
      'Sales Qualified',
      'Recycled',
      'Rejected',
      'Converted'
    ]);
    expect(values.filter((v) => v.isDefault).map((v) => v.name)).toEqual(['New']);
    expect(values.filter((v) => v.converted).map((v) => v.name)).toEqual(['Converted']);
  });

  test('cover every Lead status the default SLA policies start or stop on', () => {
    const names = new Set(values.map((v) => v.name));
    const used = [...customMetadataRecords('SLA_Policy').values()]
      .filter((p) => p.Object__c === 'Lead')
      .flatMap((p) => [p.Start_Statuses__c, p.Stop_Statuses__c, p.Pause_Statuses__c, p.Cancel_Statuses__c, p.Recycle_Statuses__c])
      .flatMap((list) => (list ? list.split(';') : []));
    expect(used.filter((status) => !names.has(status))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Permission sets

interface PermissionSetView {
  objects: Map<string, Set<string>>;
  fields: Map<string, 'read' | 'edit'>;
  userPermissions: Set<string>;
}

function permissionSet(name: string): PermissionSetView {
  const file = path.join(PACKAGE_DIR, 'main', 'default', 'permissionsets', `${name}.permissionset-meta.xml`);
  const { node } = rootOf(readXml(file));
  const objects = new Map<string, Set<string>>();
  for (const op of asArray<XmlNode>(node.objectPermissions)) {
    const granted = Object.keys(op).filter((k) => k !== 'object' && text(op[k]) === 'true');
    objects.set(text(op.object) ?? '', new Set(granted));
  }
  const fields = new Map<string, 'read' | 'edit'>();
  for (const fp of asArray<XmlNode>(node.fieldPermissions)) {
    if (text(fp.readable) !== 'true') continue;
    fields.set(text(fp.field) ?? '', text(fp.editable) === 'true' ? 'edit' : 'read');
  }
  const userPermissions = new Set(
    asArray<XmlNode>(node.userPermissions)
      .filter((u) => text(u.enabled) === 'true')
      .map((u) => text(u.name) ?? '')
  );
  return { objects, fields, userPermissions };
}

const HUMANS = ['Closed_Loop_Rep', 'Closed_Loop_Marketing', 'Closed_Loop_Manager'];
const SYNC = 'Closed_Loop_Sync';

/** Every field the SLA sync computes: people read them, only the sync writes them. */
const COMPUTED: string[] = [
  ...[...objectOf('Lead').fields.keys()].filter((f) => f.endsWith('__c') && f !== 'Needs_Dedupe__c').map((f) => `Lead.${f}`),
  ...[...objectOf('Opportunity').fields.keys()].filter((f) => f.endsWith('__c')).map((f) => `Opportunity.${f}`),
  'Lead_Quality_Feedback__c.Submitted_At__c',
  'Lead_Quality_Feedback__c.Lead_Source__c',
  'Lead_Quality_Feedback__c.Campaign__c',
  'Win_Loss_Review__c.Submitted_At__c',
  ...['SLA_Timer__c', 'SLA_Sync_State__c', 'Scorecard_Snapshot__c', 'SLA_Calendar__c'].flatMap((o) =>
    [...objectOf(o).fields.values()].filter((f) => f.fullName.endsWith('__c') && !f.required).map((f) => `${o}.${f.fullName}`)
  )
];

/** What a rep types on the feedback and review forms. */
const REP_ENTERED = [
  ...['Lead__c', 'Rating__c', 'Disposition__c', 'Reason__c', 'Budget__c', 'Authority__c', 'Need__c', 'Timeline__c', 'Comment__c'].map(
    (f) => `Lead_Quality_Feedback__c.${f}`
  ),
  ...[
    'Opportunity__c',
    'Outcome__c',
    'Primary_Reason__c',
    'Secondary_Reasons__c',
    'Competitor__c',
    'Marketing_Influence__c',
    'Lead_Quality_Retrospective__c',
    'Lessons__c'
  ].map((f) => `Win_Loss_Review__c.${f}`)
];

describe('permission sets', () => {
  const sets = Object.fromEntries([...HUMANS, SYNC].map((n) => [n, permissionSet(n)]));

  test('every computed field, SLA timer field included, is read-only for reps, marketing and managers', () => {
    expect(COMPUTED).toEqual(expect.arrayContaining(['Lead.SLA_Status__c', 'Lead.Quality_Rating__c', 'Lead.Recycle_Count__c']));
    expect(COMPUTED.filter((f) => f.startsWith('SLA_Timer__c.')).length).toBeGreaterThan(10);
    for (const name of HUMANS) {
      const editable = COMPUTED.filter((f) => sets[name].fields.get(f) === 'edit');
      expect({ [name]: editable }).toEqual({ [name]: [] });
    }
    for (const f of COMPUTED.filter((c) => !c.startsWith('SLA_Sync_State__c.'))) {
      expect([f, sets.Closed_Loop_Rep.fields.get(f)]).toEqual([f, 'read']);
    }
  });

  test('no person can create, edit or delete SLA timers, the sync state or scorecard snapshots', () => {
    for (const name of HUMANS) {
      for (const object of ['SLA_Timer__c', 'SLA_Sync_State__c', 'Scorecard_Snapshot__c', 'SLA_Calendar__c']) {
        const granted = [...(sets[name].objects.get(object) ?? [])].filter((p) => p !== 'allowRead' && p !== 'viewAllRecords');
        expect({ [`${name} on ${object}`]: granted }).toEqual({ [`${name} on ${object}`]: [] });
      }
    }
  });

  test('managers read everything and run reports', () => {
    const manager = sets.Closed_Loop_Manager;
    for (const object of ['Lead_Quality_Feedback__c', 'Win_Loss_Review__c', 'SLA_Timer__c', 'SLA_Sync_State__c', 'Scorecard_Snapshot__c']) {
      expect([object, [...(manager.objects.get(object) ?? [])].sort()]).toEqual([object, ['allowRead', 'viewAllRecords']]);
    }
    expect([...manager.fields.values()].every((a) => a === 'read')).toBe(true);
    expect(manager.userPermissions).toEqual(new Set(['RunReports']));
  });

  test('reps create feedback and reviews and edit what they typed (their own records: the objects are Public Read Only)', () => {
    const rep = sets.Closed_Loop_Rep;
    for (const object of ['Lead_Quality_Feedback__c', 'Win_Loss_Review__c']) {
      expect([object, [...(rep.objects.get(object) ?? [])].sort()]).toEqual([object, ['allowCreate', 'allowEdit', 'allowRead']]);
    }
    for (const f of REP_ENTERED) expect([f, rep.fields.get(f)]).toEqual([f, 'edit']);
    expect(rep.fields.get('Lead.Needs_Dedupe__c')).toBe('edit');
  });

  test('marketing reads all feedback and reviews and clears Needs Dedupe, as its help text says', () => {
    const marketing = sets.Closed_Loop_Marketing;
    expect([...(marketing.objects.get('Lead_Quality_Feedback__c') ?? [])].sort()).toEqual(['allowRead', 'viewAllRecords']);
    expect(marketing.fields.get('Lead.Needs_Dedupe__c')).toBe('edit');
    expect(fieldOf('Lead', 'Needs_Dedupe__c').inlineHelpText).toMatch(/Marketing ops .* clears the box/);
    expect([...marketing.fields].filter(([f, a]) => a === 'edit' && f !== 'Lead.Needs_Dedupe__c')).toEqual([]);
  });

  test('Closed_Loop_Sync: Modify All on timers, sync state and snapshots, edit on every computed field, converted leads', () => {
    const sync = sets[SYNC];
    for (const object of ['SLA_Timer__c', 'SLA_Sync_State__c', 'Scorecard_Snapshot__c', 'SLA_Calendar__c']) {
      expect([object, sync.objects.get(object)?.has('modifyAllRecords')]).toEqual([object, true]);
    }
    for (const object of ['Lead', 'Opportunity', 'Lead_Quality_Feedback__c', 'Win_Loss_Review__c']) {
      expect([object, sync.objects.get(object)?.has('modifyAllRecords')]).toEqual([object, true]);
    }
    for (const f of COMPUTED) expect([f, sync.fields.get(f)]).toEqual([f, 'edit']);
    // it only reads what people typed
    for (const f of REP_ENTERED) expect([f, sync.fields.get(f)]).toEqual([f, 'read']);
    // SendCustomNotifications: the sync sends SLA alerts through customNotificationAction over REST
    expect(sync.userPermissions).toEqual(
      new Set(['ApiEnabled', 'EditTask', 'SendCustomNotifications', 'TransferAnyLead', 'ViewEditConvertedLeads'])
    );
  });
});
