import { HISTORY_FIELDS } from './fields';
import type { StandardObjectDef } from './describe';

export const LEAD_HISTORY: StandardObjectDef = {
  name: 'LeadHistory',
  label: 'Lead History',
  labelPlural: 'Lead History',
  keyPrefix: '017',
  createable: false,
  updateable: false,
  deletable: false,
  fields: HISTORY_FIELDS('LeadId', 'Lead')
};
