import { f, str, ro, pick, bool, VALUE_OBJECT_AUDIT } from './fields';
import type { StandardObjectDef } from './describe';

// one row per Opportunity Stage value (the deployed OpportunityStage set, else the defaults); read-only
export const OPPORTUNITY_STAGE: StandardObjectDef = {
  name: 'OpportunityStage',
  label: 'Opportunity Stage',
  labelPlural: 'Opportunity Stages',
  keyPrefix: '01J',
  createable: false,
  updateable: false,
  deletable: false,
  fields: [
    f('Id', 'Opportunity Stage ID', 'id', { length: 18, nillable: false, ...ro, defaultedOnCreate: true, trackable: false }),
    str('MasterLabel', 'Master Label', 255, { ...ro, nameField: true }),
    str('ApiName', 'Api Name', 255, { ...ro, nillable: false }),
    bool('IsActive', 'Is Active', ro),
    f('SortOrder', 'Sort Order', 'int', { ...ro, precision: 9, scale: 0 }),
    bool('IsClosed', 'Is Closed', ro),
    bool('IsWon', 'Is Won', ro),
    pick('ForecastCategory', 'Forecast Category', ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'], ro),
    pick('ForecastCategoryName', 'Forecast Category Name', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], ro),
    f('DefaultProbability', 'Probability (%)', 'percent', { ...ro, precision: 3, scale: 0 }),
    str('Description', 'Description', 255, ro),
    ...VALUE_OBJECT_AUDIT
  ]
};
