import { soql, soqlJoin, soqlName } from '../org/data';
import type { Soql } from '../org/data';

/**
 * The record list's filter and sort for the day's work: by SLA status (a lead's SLA_Status__c, an
 * opportunity's Win_Loss_Review_Status__c — the worst status of its running clocks, kept by the sync) and by
 * when the SLA is due (Lead.SLA_Due_At__c, stamped by the sync), soonest first — what the Lead list views
 * "My MQLs by SLA due" and "My breached leads" give in an org. Values come from a fixed list, never from the
 * request's text.
 */

export const SLA_STATUSES = ['Breached', 'At Risk', 'Running', 'Paused', 'Met', 'Cancelled'] as const;

const STATUS_FIELD: Record<string, string> = { Lead: 'SLA_Status__c', Opportunity: 'Win_Loss_Review_Status__c' };
const DUE_FIELD: Record<string, string> = { Lead: 'SLA_Due_At__c' };

export interface ListFilter {
  /** an SLA status, or '' for any */
  status: string;
  /** 'due': SLA due soonest first (records without a running clock last); 'recent': last modified first */
  sort: 'due' | 'recent';
}

export function readListFilter(params: URLSearchParams): ListFilter {
  const status = params.get('sla') ?? '';
  return {
    status: (SLA_STATUSES as readonly string[]).includes(status) ? status : '',
    sort: params.get('sort') === 'due' ? 'due' : 'recent'
  };
}

/** The WHERE conditions (to AND with the search term's) and the ORDER BY of an object's list. */
export function listQueryParts(object: string, filter: ListFilter, fields: ReadonlySet<string>): { conditions: Soql[]; orderBy: Soql } {
  const statusField = STATUS_FIELD[object];
  const dueField = DUE_FIELD[object];
  const conditions: Soql[] = [];
  if (filter.status && statusField && fields.has(statusField)) conditions.push(soql`${soqlName(statusField)} = ${filter.status}`);
  const orderBy =
    filter.sort === 'due' && dueField && fields.has(dueField)
      ? soql`${soqlName(dueField)} ASC NULLS LAST, LastModifiedDate DESC`
      : soql`LastModifiedDate DESC`;
  return { conditions, orderBy };
}

export function whereClause(conditions: readonly Soql[]): Soql {
  return conditions.length ? soql` WHERE ${soqlJoin(conditions, ' AND ')}` : soql``;
}

/** The form's SLA status and sort controls. */
export function filterControls(filter: ListFilter, escape: (s: unknown) => string): string {
  const statusOptions = ['', ...SLA_STATUSES]
    .map((s) => `<option value="${escape(s)}"${s === filter.status ? ' selected' : ''}>${s ? escape(s) : 'Any SLA status'}</option>`)
    .join('');
  const sortOptions = [
    ['recent', 'Recently modified'],
    ['due', 'SLA due (soonest first)']
  ]
    .map(([v, label]) => `<option value="${v}"${v === filter.sort ? ' selected' : ''}>${label}</option>`)
    .join('');
  return `<div class="slds-col slds-form-element slds-grow-none"><label class="slds-form-element__label" for="sla">SLA status</label><div class="slds-form-element__control"><div class="slds-select_container"><select class="slds-select" id="sla" name="sla">${statusOptions}</select></div></div></div>
<div class="slds-col slds-form-element slds-grow-none"><label class="slds-form-element__label" for="sort">Sort by</label><div class="slds-form-element__control"><div class="slds-select_container"><select class="slds-select" id="sort" name="sort">${sortOptions}</select></div></div></div>`;
}
