import { f, str, ro, longText, pick, ref, bool, system, owner } from './fields';
import type { StandardObjectDef } from './describe';

export const EVENT: StandardObjectDef = {
  name: 'Event',
  label: 'Event',
  labelPlural: 'Events',
  keyPrefix: '00U',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...system(),
    ref('WhoId', 'Name ID', ['Contact', 'Lead'], 'Who', { childRelationshipName: 'Events', cascadeDelete: true }),
    ref('WhatId', 'Related To ID', ['Account', 'Opportunity', 'Campaign'], 'What', {
      childRelationshipName: 'Events',
      cascadeDelete: true
    }),
    f('Subject', 'Subject', 'combobox', {
      length: 255,
      nameField: true,
      picklistValues: ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'].map((value) => ({ value }))
    }),
    str('Location', 'Location', 255),
    bool('IsAllDayEvent', 'All-Day Event'),
    f('ActivityDateTime', 'Due Date Time', 'datetime', { defaultedOnCreate: true }),
    f('ActivityDate', 'Due Date Only', 'date', { defaultedOnCreate: true }),
    f('DurationInMinutes', 'Duration', 'int', { precision: 8, scale: 0, defaultedOnCreate: true }),
    f('StartDateTime', 'Start Date Time', 'datetime', { defaultedOnCreate: true }),
    f('EndDateTime', 'End Date Time', 'datetime', { defaultedOnCreate: true }),
    longText('Description', 'Description'),
    owner(['User'], 'Events'),
    pick('Type', 'Type', ['Call', 'Email', 'Meeting', 'Other']),
    pick('EventSubtype', 'Event Subtype', ['Event'], { updateable: false, defaultedOnCreate: true }),
    pick('ShowAs', 'Show Time As', ['Busy', 'OutOfOffice', 'Free'], { defaultedOnCreate: true }),
    ref('AccountId', 'Account ID', ['Account'], 'Account', { ...ro, calculated: true })
  ]
};
