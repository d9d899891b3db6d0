import { f, req, ro, longText, pick, ref, bool, system, owner } from './fields';
import type { StandardObjectDef, StandardPicklistValue } from './describe';

const TASK_STATUSES: StandardPicklistValue[] = [
  { value: 'Not Started', default: true },
  { value: 'In Progress' },
  { value: 'Completed', closed: true },
  { value: 'Waiting on someone else' },
  { value: 'Deferred' }
];

export const TASK: StandardObjectDef = {
  name: 'Task',
  label: 'Task',
  labelPlural: 'Tasks',
  keyPrefix: '00T',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...system(),
    ref('WhoId', 'Name ID', ['Contact', 'Lead'], 'Who', { childRelationshipName: 'Tasks', cascadeDelete: true }),
    ref('WhatId', 'Related To ID', ['Account', 'Opportunity', 'Campaign'], 'What', {
      childRelationshipName: 'Tasks',
      cascadeDelete: true
    }),
    f('Subject', 'Subject', 'combobox', {
      length: 255,
      nameField: true,
      picklistValues: ['Call', 'Send Letter', 'Send Quote', 'Other'].map((value) => ({ value }))
    }),
    f('ActivityDate', 'Due Date Only', 'date'),
    pick('Status', 'Status', TASK_STATUSES, { ...req, defaultedOnCreate: true, standardValueSet: 'TaskStatus' }),
    pick('Priority', 'Priority', ['High', { value: 'Normal', default: true }, 'Low'], { ...req, defaultedOnCreate: true }),
    bool('IsHighPriority', 'High Priority', { ...ro, calculated: true }),
    bool('IsClosed', 'Closed', { ...ro, calculated: true }),
    owner(['User', 'Group'], 'Tasks'),
    longText('Description', 'Description'),
    pick('Type', 'Type', ['Call', 'Email', 'Meeting', 'Other']),
    pick('TaskSubtype', 'Task Subtype', ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'], {
      updateable: false,
      defaultedOnCreate: true
    }),
    f('CompletedDateTime', 'Completed Date/Time', 'datetime', ro),
    f('CallDurationInSeconds', 'Call Duration', 'int', { precision: 8, scale: 0 }),
    ref('AccountId', 'Account ID', ['Account'], 'Account', { ...ro, calculated: true })
  ]
};
