import { STANDARD_OBJECT_MAP } from '../../metadata/standardObjects';
import { activePolicies } from '../../sla/clockPolicy';
import { CLOCK_OBJECT, SlaPolicyError, type ClockName, type SlaObject } from '../../sla/clockTypes';
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
  checkOneActivePerClock(ctx);
  checkCommitments(ctx);
}

/**
 * At most one active policy per clock and object: the sync's own rule (activePolicies), which refuses to
 * run otherwise, so the project never ships what the sync would refuse. Each conflict is reported on the
 * Active__c of the policy that conflicts (in DeveloperName order, as the sync names it).
 */
function checkOneActivePerClock(ctx: CheckContext): void {
  const policies = readRecords(ctx.model, 'SLA_Policy__mdt')
    .map((rec) => {
      const text = (f: string) => rec.values.get(f.toLowerCase())?.text;
      const clock = text('Clock__c');
      const object = text('Object__c');
      const known = clock !== undefined && Object.hasOwn(SLA_CLOCKS, clock) && (object === 'Lead' || object === 'Opportunity');
      return known && text('Active__c') === 'true'
        ? [{ developerName: rec.developerName, clock: clock as ClockName, object: object as SlaObject, active: true, rec }]
        : [];
    })
    .flat()
    .sort((a, b) => (a.developerName < b.developerName ? -1 : a.developerName > b.developerName ? 1 : 0));
  const accepted: typeof policies = [];
  for (const p of policies) {
    try {
      activePolicies([...accepted, p], p.object);
      accepted.push(p);
    } catch (e) {
      if (!(e instanceof SlaPolicyError)) throw e;
      ctx.findings.add(p.rec.file, p.rec.values.get('active__c')?.el.line ?? p.rec.root.line, e.message);
    }
  }
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
