/**
 * Shared fixtures for the SLA clock tests: a New York Mon–Fri 09:00–17:00 calendar (Thanksgiving
 * 2026 and a recurring Christmas as holidays), the three default policies exactly as the package's
 * SLA_Policy__mdt records define them, ids, and event builders. Times are written as New York wall
 * clock with an explicit offset (-05:00 EST, -04:00 EDT) so each test reads like the admin's calendar.
 */
import { BusinessCalendar } from '../../calendar';
import type { CalendarDefinition } from '../../calendar';
import { policyFromRecord } from '../clock';
import type { ClockEvent, ClockFacts, SlaPolicy } from '../clock';

const open = { start: '09:00:00.000Z', end: '17:00:00.000Z' };
export const NEW_YORK: CalendarDefinition = {
  Name: 'New York',
  TimeZoneSidKey: 'America/New_York',
  MondayStartTime: open.start,
  MondayEndTime: open.end,
  TuesdayStartTime: open.start,
  TuesdayEndTime: open.end,
  WednesdayStartTime: open.start,
  WednesdayEndTime: open.end,
  ThursdayStartTime: open.start,
  ThursdayEndTime: open.end,
  FridayStartTime: open.start,
  FridayEndTime: open.end,
  SaturdayStartTime: null,
  SaturdayEndTime: null,
  SundayStartTime: null,
  SundayEndTime: null,
  holidays: [
    { Name: 'Thanksgiving', ActivityDate: '2026-11-26', IsAllDay: true },
    {
      Name: 'Christmas',
      ActivityDate: '2020-12-25',
      IsAllDay: true,
      IsRecurrence: true,
      RecurrenceType: 'RecursYearly',
      RecurrenceMonthOfYear: 'December',
      RecurrenceDayOfMonth: 25
    }
  ]
};
export const calendar = new BusinessCalendar(NEW_YORK);

export const ALICE = '005000000000001AAA';
export const BOB = '005000000000002AAA';
export const QUEUE = '00G000000000001AAA';
export const LEAD = '00Q000000000001AAA';
export const OPP = '006000000000001AAA';

/** The package's default policies (force-app/main/default/customMetadata/SLA_Policy.*). */
export const ACCEPT = policyFromRecord({
  DeveloperName: 'Lead_Accept',
  Clock__c: 'Accept',
  Object__c: 'Lead',
  Target_Minutes__c: 60,
  Warning_Percent__c: 75,
  Business_Hours_Name__c: null,
  Start_Statuses__c: 'Marketing Qualified',
  Stop_Statuses__c: 'Sales Accepted;Sales Qualified;Recycled;Rejected',
  Pause_Statuses__c: null,
  Backdate_Grace_Minutes__c: 60,
  Recycle_Statuses__c: 'Recycled',
  Recycle_Queue__c: 'Nurture Queue',
  Restart_On_Reassign__c: true,
  Create_Task_On_Breach__c: true,
  Notify_Manager__c: true,
  Active__c: true
});
export const FIRST_TOUCH = policyFromRecord({
  DeveloperName: 'Lead_First_Touch',
  Clock__c: 'First Touch',
  Object__c: 'Lead',
  Target_Minutes__c: 240,
  Warning_Percent__c: 75,
  Start_Statuses__c: 'Marketing Qualified',
  Stop_Statuses__c: null,
  Cancel_Statuses__c: 'Recycled;Rejected',
  Backdate_Grace_Minutes__c: 60,
  Restart_On_Reassign__c: false,
  Create_Task_On_Breach__c: true,
  Notify_Manager__c: false,
  Active__c: true
});
export const WIN_LOSS = policyFromRecord({
  DeveloperName: 'Opportunity_Win_Loss_Review',
  Clock__c: 'Win/Loss Review',
  Object__c: 'Opportunity',
  Target_Minutes__c: 2700,
  Warning_Percent__c: 75,
  Start_Statuses__c: 'Closed Won;Closed Lost',
  Stop_Statuses__c: null,
  Restart_On_Reassign__c: false,
  Create_Task_On_Breach__c: true,
  Notify_Manager__c: true,
  Active__c: true
});

export const withPolicy = (p: SlaPolicy, changes: Partial<SlaPolicy>): SlaPolicy => ({ ...p, ...changes });

/** `'2026-03-02T10:00-05:00'` → `'2026-03-02T15:00:00.000Z'` (the form the rules return). */
export const utc = (wall: string): string => new Date(wall).toISOString();

export const MQL = 'Marketing Qualified';

export const status = (at: string, value: string): ClockEvent => ({ type: 'status', at, value });
export const owner = (at: string, ownerId: string): ClockEvent => ({ type: 'owner', at, ownerId });
export const task = (at: string, ownerId: string, id = `00T${at.replace(/\D/g, '').slice(0, 15)}`): ClockEvent => ({
  type: 'activity',
  at,
  ownerId,
  activity: 'Task',
  id
});
/** A meeting dated (StartDateTime) `at` by the user, saved (CreatedDate) at `createdAt`. */
export const meeting = (
  at: string,
  createdAt: string,
  ownerId: string,
  id = `00U${createdAt.replace(/\D/g, '').slice(0, 15)}`
): ClockEvent => ({
  type: 'activity',
  at,
  ownerId,
  activity: 'Event',
  id,
  createdAt
});
export const feedback = (at: string, id = 'a00000000000001AAA'): ClockEvent => ({ type: 'feedback', at, id });
export const review = (at: string, id = 'a01000000000001AAA'): ClockEvent => ({ type: 'review', at, id });
export const converted = (at: string): ClockEvent => ({ type: 'converted', at });
export const deleted = (at: string): ClockEvent => ({ type: 'deleted', at });

export function lead(createdAt: string, initialStatus: string, initialOwnerId: string, events: ClockEvent[] = []): ClockFacts {
  return { object: 'Lead', id: LEAD, createdAt, initialStatus, initialOwnerId, events };
}

export function opportunity(
  createdAt: string,
  initialStage: string,
  ownerId: string,
  events: ClockEvent[] = [],
  closedStages: string[] = []
): ClockFacts {
  return { object: 'Opportunity', id: OPP, createdAt, initialStatus: initialStage, initialOwnerId: ownerId, events, closedStages };
}
