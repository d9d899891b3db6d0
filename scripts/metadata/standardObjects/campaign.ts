import { f, str, req, longText, pick, ref, bool, system, owner } from './fields';
import type { StandardObjectDef } from './describe';

export const CAMPAIGN: StandardObjectDef = {
  name: 'Campaign',
  label: 'Campaign',
  labelPlural: 'Campaigns',
  keyPrefix: '701',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...system(),
    str('Name', 'Name', 80, { ...req, nameField: true }),
    pick('Type', 'Type', [
      'Conference',
      'Webinar',
      'Trade Show',
      'Public Relations',
      'Partners',
      'Referral Program',
      'Advertisement',
      'Banner Ads',
      'Direct Mail',
      'Email',
      'Telemarketing',
      'Other'
    ]),
    pick('Status', 'Status', ['Planned', 'In Progress', 'Completed', 'Aborted']),
    f('StartDate', 'Start Date', 'date'),
    f('EndDate', 'End Date', 'date'),
    bool('IsActive', 'Active'),
    ref('ParentId', 'Parent Campaign ID', ['Campaign'], 'Parent', { childRelationshipName: 'ChildCampaigns' }),
    f('BudgetedCost', 'Budgeted Cost in Campaign', 'currency', { precision: 18, scale: 0 }),
    f('ActualCost', 'Actual Cost in Campaign', 'currency', { precision: 18, scale: 0 }),
    f('ExpectedRevenue', 'Expected Revenue in Campaign', 'currency', { precision: 18, scale: 0 }),
    longText('Description', 'Description'),
    owner(['User'])
  ]
};
