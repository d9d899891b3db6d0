import { HISTORY_FIELDS } from './fields';
import type { StandardObjectDef } from './describe';

export const OPPORTUNITY_FIELD_HISTORY: StandardObjectDef = {
  name: 'OpportunityFieldHistory',
  label: 'Opportunity Field History',
  labelPlural: 'Opportunity Field History',
  keyPrefix: '017',
  createable: false,
  updateable: false,
  deletable: false,
  fields: HISTORY_FIELDS('OpportunityId', 'Opportunity')
};
