import { f, str, req, ro, pick, ref, bool, system } from './fields';
import type { StandardObjectDef } from './describe';

export const CAMPAIGN_MEMBER: StandardObjectDef = {
  name: 'CampaignMember',
  label: 'Campaign Member',
  labelPlural: 'Campaign Members',
  keyPrefix: '00v',
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    ...system(),
    ref('CampaignId', 'Campaign ID', ['Campaign'], 'Campaign', {
      ...req,
      updateable: false,
      childRelationshipName: 'CampaignMembers',
      cascadeDelete: true
    }),
    ref('LeadId', 'Lead ID', ['Lead'], 'Lead', { updateable: false, childRelationshipName: 'CampaignMembers', cascadeDelete: true }),
    ref('ContactId', 'Contact ID', ['Contact'], 'Contact', {
      updateable: false,
      childRelationshipName: 'CampaignMembers',
      cascadeDelete: true
    }),
    pick('Status', 'Status', [{ value: 'Sent', default: true }, 'Responded'], { defaultedOnCreate: true }),
    bool('HasResponded', 'Responded', { ...ro, calculated: true }),
    f('FirstRespondedDate', 'First Responded Date', 'date', ro),
    str('Name', 'Name', 121, { ...ro, calculated: true, nameField: true })
  ]
};
