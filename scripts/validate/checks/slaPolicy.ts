import { STANDARD_OBJECT_MAP } from '../../metadata/standardObjects';
import { splitStatuses, tierFromRecord } from '../../sla/clockPolicy';
import { tierProblems, type TierPolicy, type TierSchema } from '../../sla/clockTiers';
import { CLOCK_OBJECT, SlaPolicyError, type ClockName, type SlaObject } from '../../sla/clockTypes';
import { childrenNamed } from '../../metadata/xml';
import { didYouMean } from '../model';
import type { CheckContext } from '../types';
import { readRecords, type MetadataRecord } from './customMetadata';

/**
 * The SLA clocks the engine runs and the object each one watches (see docs/sla-clocks.md), from the engine
 * itself: a policy naming any other clock, or pairing a clock with the wrong object, would never
 * start a timer.
 */
const SLA_CLOCKS: Readonly<Record<string, SlaObject>> = CLOCK_OBJECT;

/** The field whose values a policy's Start/Stop/Pause lists name, per object. */
const STATUS_FIELD: Record<string, string> = { Lead: 'Status', Opportunity: 'StageName' };

/**
 * SLA_Policy__mdt records make sense to the SLA engine: a known clock on its object, a positive
 * target, a warning between 1 and 99 %, and Start/Stop/Pause/Cancel lists that name values of the
 * object's status field as this project deploys it (the demo LeadStatus set), never one value in
 * two of them (Recycle_Statuses__c names values too, and may repeat a Stop or Cancel status).
 * Alignment_Commitment__mdt records link to reports the project ships.
 */
export function checkSlaPolicies(ctx: CheckContext): void {
  const { model, findings } = ctx;
  const policyType = model.object('SLA_Policy__mdt');
  const clockValues = policyType?.fields.get('clock__c')?.picklistValues ?? [];
  const timerClocks = model.field('SLA_Timer__c', 'Clock__c')?.picklistValues;
  for (const rec of readRecords(model, 'SLA_Policy__mdt')) {
    const { file } = rec;
    const get = (f: string) => rec.values.get(f.toLowerCase());
    const clock = get('Clock__c');
    const object = get('Object__c');
    const clockObject = clock?.text !== undefined ? SLA_CLOCKS[clock.text] : undefined;
    if (!clock?.text) findings.add(file, rec.root.line, `policy ${rec.developerName} names no Clock__c`);
    else if (!clockObject) {
      // a value outside the picklist is already reported by the custom metadata check
      if (clockValues.includes(clock.text)) {
        findings.add(
          file,
          clock.el.line,
          `Clock__c "${clock.text}" is not a clock the SLA engine runs (${Object.keys(SLA_CLOCKS).join(', ')})`
        );
      }
    } else {
      if (timerClocks && !timerClocks.includes(clock.text)) {
        findings.add(
          file,
          clock.el.line,
          `SLA_Timer__c.Clock__c has no value "${clock.text}", so timers for this policy could not be saved`
        );
      }
      if (object?.text && object.text !== clockObject) {
        findings.add(file, object.el.line, `Object__c is ${object.text}, but the ${clock.text} clock runs on ${clockObject}`);
      }
    }
    const target = get('Target_Minutes__c');
    if (!target?.text) findings.add(file, rec.root.line, `policy ${rec.developerName} has no Target_Minutes__c`);
    else if (!(Number(target.text) > 0) || !Number.isInteger(Number(target.text))) {
      findings.add(file, target.el.line, `Target_Minutes__c must be a whole number of minutes above 0, not ${target.text}`);
    }
    const warn = get('Warning_Percent__c');
    if (warn?.text !== undefined && !(Number(warn.text) >= 1 && Number(warn.text) <= 99)) {
      findings.add(file, warn.el.line, `Warning_Percent__c must be from 1 to 99, not ${warn.text}`);
    }
    checkStatusLists(ctx, rec, clockObject ?? object?.text);
  }
  checkTiers(ctx);
  checkCommitments(ctx);
}

/**
 * The active policies as tiers: the sync's own rules (tierProblems, through activePolicies), which refuse to
 * run otherwise, so the project never ships what the sync would refuse — one catch-all per clock and object,
 * no two tiers of equal priority that one lead can meet, the same statuses in every tier of a clock, criteria
 * naming fields and picklist values the project's objects have, reassignment to a queue the project deploys
 * that takes leads. Each problem is reported on the value of the field it is about (Active__c, or the record,
 * when that value is blank), in the sync's words.
 */
function checkTiers(ctx: CheckContext): void {
  const records = readRecords(ctx.model, 'SLA_Policy__mdt');
  const policies: Array<TierPolicy & { rec: MetadataRecord }> = [];
  /** an active record the checks above or below already report: its clock's catch-all may be that one */
  let unreadable = false;
  for (const rec of records) {
    const text = (f: string) => rec.values.get(f.toLowerCase())?.text;
    const clock = text('Clock__c');
    const object = text('Object__c');
    const known = clock !== undefined && Object.hasOwn(SLA_CLOCKS, clock) && SLA_CLOCKS[clock] === object;
    if (text('Active__c') !== 'true') continue;
    if (!known) {
      unreadable = true; // reported by the checks above
      continue;
    }
    const num = (f: string) => (text(f) === undefined ? null : Number(text(f)));
    let parsed: ReturnType<typeof tierFromRecord>;
    try {
      parsed = tierFromRecord(
        {
          DeveloperName: rec.developerName,
          Clock__c: clock,
          Object__c: object,
          Target_Minutes__c: num('Target_Minutes__c'),
          Lead_Sources__c: text('Lead_Sources__c') ?? null,
          Criteria_Field__c: text('Criteria_Field__c') ?? null,
          Criteria_Values__c: text('Criteria_Values__c') ?? null,
          Priority__c: num('Priority__c'),
          Catch_All__c: text('Catch_All__c') === 'true',
          Reassign_To_Queue__c: text('Reassign_To_Queue__c') ?? null,
          Reassign_Mode__c: text('Reassign_Mode__c') ?? null,
          Reassign_Delay_Minutes__c: num('Reassign_Delay_Minutes__c')
        },
        (field, why) => {
          throw new SlaPolicyError(`SLA_Policy__mdt ${rec.developerName}: ${field} ${why}`, { cause: field });
        }
      );
    } catch (e) {
      if (!(e instanceof SlaPolicyError)) throw e;
      ctx.findings.add(rec.file, lineOf(rec, String(e.cause)), e.message);
      unreadable = true;
      continue;
    }
    policies.push({
      developerName: rec.developerName,
      clock: clock as ClockName,
      object: object as SlaObject,
      active: true,
      ...parsed,
      startStatuses: splitStatuses(text('Start_Statuses__c')),
      stopStatuses: splitStatuses(text('Stop_Statuses__c')),
      pauseStatuses: splitStatuses(text('Pause_Statuses__c')),
      cancelStatuses: splitStatuses(text('Cancel_Statuses__c')),
      rec
    });
  }
  const fieldsOf = (object: string) =>
    new Map(
      [...(ctx.model.object(object)?.fields.values() ?? [])].map((f) => [
        f.name.toLowerCase(),
        { name: f.name, picklist: f.type === 'picklist' || f.type === 'multipicklist' ? (f.picklistValues ?? []) : null }
      ])
    );
  const schema: TierSchema = {
    fields: { Lead: fieldsOf('Lead'), Opportunity: fieldsOf('Opportunity') },
    leadQueues: projectLeadQueues(ctx)
  };
  const byName = new Map(policies.map((p) => [p.developerName, p.rec]));
  for (const problem of tierProblems(policies, schema)) {
    if (unreadable && problem.field === 'Catch_All__c' && problem.message.startsWith('Catch_All__c is checked on no active')) continue;
    const rec = byName.get(problem.policy) as MetadataRecord;
    ctx.findings.add(rec.file, lineOf(rec, problem.field), `SLA_Policy__mdt ${problem.policy}: ${problem.message}`);
  }
}

/** The line of a field's value in a custom metadata record (Active__c's, else the record's, when it has none). */
function lineOf(rec: MetadataRecord, field: string): number {
  return (rec.values.get(field.toLowerCase()) ?? rec.values.get('active__c'))?.el.line ?? rec.root.line;
}

/** Names and API names of the queues the project deploys that take leads (queues/*.queue-meta.xml). */
function projectLeadQueues(ctx: CheckContext): Set<string> {
  const out = new Set<string>();
  for (const c of ctx.model.byType('Queue')) {
    const root = c.xml ? ctx.model.doc(c.xml) : undefined;
    if (!root) continue;
    const leads = childrenNamed(root, 'queueSobject').some((q) => childrenNamed(q, 'sobjectType')[0]?.text === 'Lead');
    if (!leads) continue;
    out.add(c.fullName);
    const label = childrenNamed(root, 'name')[0]?.text;
    if (label) out.add(label);
  }
  return out;
}

function checkStatusLists(ctx: CheckContext, rec: MetadataRecord, objectName: string | undefined): void {
  const { model, findings } = ctx;
  const active = rec.values.get('active__c')?.text === 'true';
  const start = rec.values.get('start_statuses__c');
  if (active && !start?.text)
    findings.add(rec.file, start?.el.line ?? rec.root.line, `active policy ${rec.developerName} has no Start_Statuses__c`);
  if (!objectName || !STATUS_FIELD[objectName]) return;
  const statusField = STATUS_FIELD[objectName];
  // only the value set the project deploys is authoritative; customers map their own values
  const valueSet = STANDARD_OBJECT_MAP.get(objectName)?.fields.find((f) => f.name === statusField)?.standardValueSet;
  const values = valueSet ? model.standardValueSets.get(valueSet) : undefined;
  const listed = new Map<string, string>();
  for (const list of ['Start_Statuses__c', 'Stop_Statuses__c', 'Pause_Statuses__c', 'Cancel_Statuses__c', 'Recycle_Statuses__c']) {
    const v = rec.values.get(list.toLowerCase());
    if (!v?.text) continue;
    for (const status of v.text.split(';').map((s) => s.trim())) {
      if (status === '') continue;
      if (values && !values.includes(status)) {
        findings.add(
          rec.file,
          v.el.line,
          `${list}: "${status}" is not a ${objectName}.${statusField} value of ${valueSet}${didYouMean(status, values)} (values: ${values.join(', ')})`
        );
      }
      if (list === 'Recycle_Statuses__c') continue;
      const other = listed.get(status);
      if (other && other !== list) findings.add(rec.file, v.el.line, `"${status}" is in both ${other} and ${list}`);
      listed.set(status, list);
    }
  }
}

/** Alignment_Commitment__mdt.Report__c names the DeveloperName of a report the project ships (when set). */
function checkCommitments(ctx: CheckContext): void {
  const { model, findings } = ctx;
  const reports = model.byType('Report').map((r) => r.fullName.split('/').pop()!);
  for (const rec of readRecords(model, 'Alignment_Commitment__mdt')) {
    const report = rec.values.get('report__c');
    if (!report?.text) continue;
    if (!reports.includes(report.text)) {
      findings.add(rec.file, report.el.line, `Report__c: no report ${report.text} in the project${didYouMean(report.text, reports)}`);
    }
  }
}
