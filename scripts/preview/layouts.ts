/**
 * What the preview's stand-ins for standard components show per object: the highlights panel (compact
 * layout), the Details tab (page layout) and the list page's columns. The package does not ship Lead or
 * Opportunity page layouts (orgs keep their own), so these are the fields a rep looks at next to our
 * components. All are read as optional fields, so a field an org lacks is left out, not an error.
 */

const HIGHLIGHTS: Record<string, string[]> = {
  Lead: ['Company', 'Status', 'Owner.Name', 'Quality_Rating__c', 'SLA_Status__c'],
  Opportunity: ['Account.Name', 'StageName', 'Amount', 'CloseDate', 'Owner.Name', 'Win_Loss_Review_Status__c']
};

const DETAILS: Record<string, string[]> = {
  Lead: [
    'Name',
    'Company',
    'Title',
    'Email',
    'Phone',
    'Status',
    'LeadSource',
    'Owner.Name',
    'Quality_Rating__c',
    'Recycle_Count__c',
    'MQL_At__c',
    'Accepted_At__c',
    'SLA_Status__c',
    'Needs_Dedupe__c'
  ],
  Opportunity: [
    'Name',
    'Account.Name',
    'StageName',
    'Amount',
    'CloseDate',
    'IsWon',
    'LeadSource',
    'Owner.Name',
    'Marketing_Sourced__c',
    'Win_Loss_Review_Status__c'
  ]
};

const LIST_COLUMNS: Record<string, string[]> = {
  Lead: ['Name', 'Company', 'Status', 'SLA_Status__c', 'SLA_Due_At__c', 'Owner.Name', 'LastModifiedDate'],
  Opportunity: ['Name', 'Account.Name', 'StageName', 'CloseDate', 'Win_Loss_Review_Status__c', 'Owner.Name', 'LastModifiedDate']
};

const GENERIC = ['Name', 'Owner.Name', 'CreatedDate', 'LastModifiedDate'];

const qualify = (object: string, fields: string[]) => fields.map((f) => `${object}.${f}`);

export function highlightFields(object: string): string[] {
  return qualify(object, HIGHLIGHTS[object] ?? GENERIC.slice(1));
}

export function detailFields(object: string): string[] {
  return qualify(object, DETAILS[object] ?? GENERIC);
}

/** Unqualified field paths for the list page's SOQL. */
export function listColumns(object: string): string[] {
  return LIST_COLUMNS[object] ?? GENERIC;
}

/** The preview URL prefix of an object's record pages, e.g. `/lead/`. */
export function recordRoute(object: string): string {
  return `/${object.toLowerCase()}/`;
}
