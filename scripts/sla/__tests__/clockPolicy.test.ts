import { activePolicies, policyFromRecord, SlaPolicyError, splitStatuses } from '../clock';
import type { SlaPolicyRecord } from '../clock';
import { ACCEPT, FIRST_TOUCH, WIN_LOSS, withPolicy } from './clockFixtures';

const accept: SlaPolicyRecord = {
  DeveloperName: 'Lead_Accept',
  Clock__c: 'Accept',
  Object__c: 'Lead',
  Target_Minutes__c: 60,
  Warning_Percent__c: 75,
  Business_Hours_Name__c: null,
  Start_Statuses__c: 'Marketing Qualified',
  Stop_Statuses__c: 'Sales Accepted;Sales Qualified;Recycled;Rejected',
  Pause_Statuses__c: null,
  Cancel_Statuses__c: null,
  Backdate_Grace_Minutes__c: 30,
  Recycle_Statuses__c: 'Recycled',
  Recycle_Queue__c: ' Nurture Queue ',
  Restart_On_Reassign__c: true,
  Create_Task_On_Breach__c: true,
  Notify_Manager__c: true,
  Active__c: true
};
const LEAD_STATUSES = ['New', 'Marketing Qualified', 'Sales Accepted', 'Sales Qualified', 'Recycled', 'Rejected', 'Converted'];

describe('SLA_Policy__mdt records', () => {
  it('become typed policies', () => {
    expect(policyFromRecord(accept, { knownStatuses: LEAD_STATUSES })).toEqual({
      developerName: 'Lead_Accept',
      clock: 'Accept',
      object: 'Lead',
      targetMinutes: 60,
      tier: { leadSources: [], field: null, values: [], priority: 100, catchAll: true },
      reassign: null,
      warningPercent: 75,
      businessHoursName: null,
      startStatuses: ['Marketing Qualified'],
      stopStatuses: ['Sales Accepted', 'Sales Qualified', 'Recycled', 'Rejected'],
      pauseStatuses: [],
      cancelStatuses: [],
      backdateGraceMinutes: 30,
      recycleStatuses: ['Recycled'],
      recycleQueue: 'Nurture Queue',
      restartOnReassign: true,
      createTaskOnBreach: true,
      notifyManager: true,
      active: true
    });
    expect(policyFromRecord({ ...accept, Business_Hours_Name__c: ' EMEA ', Warning_Percent__c: null })).toMatchObject({
      businessHoursName: 'EMEA',
      warningPercent: null
    });
    // blank grace: 60 minutes; a recycle status may also stop the clock
    expect(policyFromRecord({ ...accept, Backdate_Grace_Minutes__c: null, Recycle_Queue__c: null })).toMatchObject({
      backdateGraceMinutes: 60,
      recycleQueue: null,
      recycleStatuses: ['Recycled']
    });
  });

  it('split semicolon lists, trimming blanks and repeats', () => {
    expect(splitStatuses(' Sales Accepted ;;Recycled; Sales Accepted;')).toEqual(['Sales Accepted', 'Recycled']);
    expect(splitStatuses(null)).toEqual([]);
  });

  it.each([
    [
      { Target_Minutes__c: -5 },
      'SLA_Policy__mdt Lead_Accept: Target_Minutes__c must be a whole number of business minutes from 1 to 999999999 (got -5)'
    ],
    [{ Target_Minutes__c: 0 }, 'Target_Minutes__c must be a whole number'],
    [{ Target_Minutes__c: 12.5 }, 'Target_Minutes__c must be a whole number'],
    [{ Target_Minutes__c: null }, 'Target_Minutes__c must be a whole number'],
    [{ Warning_Percent__c: 150 }, 'SLA_Policy__mdt Lead_Accept: Warning_Percent__c must be blank or from 0 to 100 (got 150)'],
    [{ Clock__c: 'Reply' }, 'Clock__c must be one of Accept, First Touch, Win/Loss Review (got "Reply")'],
    [{ Object__c: 'Opportunity' }, 'Object__c must be Lead for the Accept clock (got Opportunity)'],
    [{ Start_Statuses__c: ' ; ' }, 'Start_Statuses__c is blank: the clock would never start'],
    [{ Pause_Statuses__c: 'Recycled' }, 'Pause_Statuses__c repeats "Recycled", which is already in Stop_Statuses__c'],
    [{ Cancel_Statuses__c: 'Rejected' }, 'Cancel_Statuses__c repeats "Rejected", which is already in Stop_Statuses__c'],
    [{ Backdate_Grace_Minutes__c: -1 }, 'Backdate_Grace_Minutes__c must be blank or a whole number of minutes from 0 to 999999 (got -1)'],
    [{ Backdate_Grace_Minutes__c: 2.5 }, 'Backdate_Grace_Minutes__c must be blank or a whole number'],
    [{ Recycle_Statuses__c: null }, 'Recycle_Queue__c needs Recycle_Statuses__c: the statuses that send a lead back to the queue'],
    [{ DeveloperName: '' }, 'SLA_Policy__mdt (no DeveloperName): DeveloperName is blank']
  ])('reject %j with a one-line error naming the record and field', (change, message) => {
    expect(() => policyFromRecord({ ...accept, ...change })).toThrow(SlaPolicyError);
    expect(() => policyFromRecord({ ...accept, ...change })).toThrow(message);
  });

  it('reject a status the org does not have', () => {
    expect(() =>
      policyFromRecord({ ...accept, Stop_Statuses__c: 'Sales Accepted;Disqualified' }, { knownStatuses: LEAD_STATUSES })
    ).toThrow('SLA_Policy__mdt Lead_Accept: Stop_Statuses__c names an unknown Lead Status "Disqualified"');
    expect(() => policyFromRecord({ ...accept, Recycle_Statuses__c: 'Nurture' }, { knownStatuses: LEAD_STATUSES })).toThrow(
      'SLA_Policy__mdt Lead_Accept: Recycle_Statuses__c names an unknown Lead Status "Nurture"'
    );
  });

  it('keep recycling to Lead policies', () => {
    const review = { DeveloperName: 'Review', Clock__c: 'Win/Loss Review', Object__c: 'Opportunity', Target_Minutes__c: 2700 };
    expect(() => policyFromRecord({ ...review, Recycle_Statuses__c: 'Closed Lost' })).toThrow(
      'SLA_Policy__mdt Review: Recycle_Statuses__c is for Lead policies only'
    );
  });

  it('allow a Win/Loss Review policy without Start statuses (closing the opportunity starts it)', () => {
    expect(
      policyFromRecord({
        DeveloperName: 'Review',
        Clock__c: 'Win/Loss Review',
        Object__c: 'Opportunity',
        Target_Minutes__c: 2700,
        Start_Statuses__c: null
      })
    ).toMatchObject({ startStatuses: [], active: false, restartOnReassign: false });
  });

  it('allow one active catch-all per clock and object', () => {
    expect(activePolicies([WIN_LOSS, FIRST_TOUCH, ACCEPT, withPolicy(ACCEPT, { developerName: 'Old', active: false })], 'Lead')).toEqual([
      ACCEPT,
      FIRST_TOUCH
    ]);
    expect(() => activePolicies([ACCEPT, withPolicy(ACCEPT, { developerName: 'Lead_Accept_EMEA' })], 'Lead')).toThrow(
      'SLA_Policy__mdt Lead_Accept_EMEA: Active__c conflicts with Lead_Accept: only one catch-all policy per clock (Accept)'
    );
  });
});
