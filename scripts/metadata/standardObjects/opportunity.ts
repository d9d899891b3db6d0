import { f, str, req, ro, longText, pick, ref, bool, system, owner, LEAD_SOURCES } from './fields';
import type { StandardObjectDef, StandardPicklistValue } from './describe';

/** Default Opportunity stages with their closed/won semantics (the OpportunityStage standard value set). */
export const DEFAULT_OPPORTUNITY_STAGES: StandardPicklistValue[] = [
  { value: 'Prospecting', probability: 10, forecastCategory: 'Pipeline' },
  { value: 'Qualification', probability: 10, forecastCategory: 'Pipeline' },
  { value: 'Needs Analysis', probability: 20, forecastCategory: 'Pipeline' },
  { value: 'Value Proposition', probability: 50, forecastCategory: 'Pipeline' },
  { value: 'Id. Decision Makers', probability: 60, forecastCategory: 'Pipeline' },
  { value: 'Perception Analysis', probability: 70, forecastCategory: 'Pipeline' },
  { value: 'Proposal/Price Quote', probability: 75, forecastCategory: 'Pipeline' },
  { value: 'Negotiation/Review', probability: 90, forecastCategory: 'Pipeline' },
  { value: 'Closed Won', probability: 100, closed: true, won: true, forecastCategory: 'Closed' },
  { value: 'Closed Lost', probability: 0, closed: true, won: false, forecastCategory: 'Omitted' }
];

export const OPPORTUNITY: StandardObjectDef = {
  name: 'Opportunity',
  label: 'Opportunity',
  labelPlural: 'Opportunities',
  keyPrefix: '006',
  createable: true,
  updateable: true,
  deletable: true,
  history: { object: 'OpportunityFieldHistory', parentField: 'OpportunityId' },
  fields: [
    ...system(),
    str('Name', 'Name', 120, { ...req, nameField: true }),
    ref('AccountId', 'Account ID', ['Account'], 'Account', { childRelationshipName: 'Opportunities' }),
    longText('Description', 'Description'),
    pick('StageName', 'Stage', DEFAULT_OPPORTUNITY_STAGES, { ...req, standardValueSet: 'OpportunityStage' }),
    f('Amount', 'Amount', 'currency', { precision: 18, scale: 2 }),
    f('Probability', 'Probability (%)', 'percent', { precision: 3, scale: 0, defaultedOnCreate: true }),
    f('CloseDate', 'Close Date', 'date', req),
    pick('Type', 'Opportunity Type', [
      'Existing Customer - Upgrade',
      'Existing Customer - Replacement',
      'Existing Customer - Downgrade',
      'New Customer'
    ]),
    str('NextStep', 'Next Step', 255),
    pick('LeadSource', 'Lead Source', LEAD_SOURCES, { standardValueSet: 'LeadSource' }),
    bool('IsClosed', 'Closed', { ...ro, calculated: true }),
    bool('IsWon', 'Won', { ...ro, calculated: true }),
    pick('ForecastCategory', 'Forecast Category', ['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed'], {
      ...ro,
      calculated: true
    }),
    pick('ForecastCategoryName', 'Forecast Category', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], {
      defaultedOnCreate: true
    }),
    ref('CampaignId', 'Campaign ID', ['Campaign'], 'Campaign', { childRelationshipName: 'Opportunities' }),
    ref('ContactId', 'Contact ID', ['Contact'], 'Contact'),
    owner(['User']),
    f('LastActivityDate', 'Last Activity', 'date', ro)
  ]
};
