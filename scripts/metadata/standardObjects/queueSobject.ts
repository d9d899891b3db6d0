import { f, req, ro, pick, ref } from './fields';
import type { StandardObjectDef } from './describe';

// which objects a queue takes (Setup > Queues > Supported Objects); the SLA sync checks the nurture queue takes leads
export const QUEUE_SOBJECT: StandardObjectDef = {
  name: 'QueueSobject',
  label: 'Queue Sobject',
  labelPlural: 'Queue Sobjects',
  keyPrefix: '03g',
  createable: true,
  updateable: false,
  deletable: true,
  fields: [
    f('Id', 'Queue Sobject ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true }),
    ref('QueueId', 'Group ID', ['Group'], 'Queue', {
      ...req,
      updateable: false,
      childRelationshipName: 'QueueSobjects',
      cascadeDelete: true
    }),
    pick('SobjectType', 'Sobject Type', ['Lead', 'Case', 'Lead_Quality_Feedback__c'], { ...req, updateable: false }),
    f('SystemModstamp', 'System Modstamp', 'datetime', { nillable: false, ...ro, defaultedOnCreate: true })
  ]
};
