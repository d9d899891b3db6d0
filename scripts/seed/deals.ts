import { DEMO_TIME_ZONE } from './businessHours';
import { historyRows, type SeedContext } from './context';
import type { Identity } from './identities';
import type { Rep } from './people';
import { COMPETITORS, PRODUCTS, REVIEW_LESSONS } from './texts';
import { DAY, iso, localDate, toSecond } from './time';
import type { SeedValue } from './types';

/** What a conversion needs to know about the lead. */
export interface ConvertedLeadInput {
  /** the lead's code (`L00042`): the account, contact and opportunity keys reuse it */
  code: string;
  convertedAt: number;
  rep: Rep;
  quality: number;
  source: string;
  marketingSourced: boolean;
  /** the lead responded to any campaign */
  influenced: boolean;
  /** the most recent campaign (the opportunity's primary campaign source) */
  campaign: string | undefined;
  identity: Identity;
}

/** Keys of the records a conversion created. */
export interface ConvertedLead {
  account: string;
  contact: string;
  opportunity: string;
}

/** The sales stages an opportunity walks through, then Closed Won or Closed Lost. */
export const OPEN_STAGES = ['Qualification', 'Needs Analysis', 'Value Proposition', 'Proposal/Price Quote', 'Negotiation/Review'];
const PROBABILITY: Record<string, number> = {
  Qualification: 10,
  'Needs Analysis': 20,
  'Value Proposition': 50,
  'Proposal/Price Quote': 75,
  'Negotiation/Review': 90,
  'Closed Won': 100,
  'Closed Lost': 0
};
const WIN_RATE = [0.1, 0.2, 0.35, 0.5, 0.6];
/** Business minutes in a working day of the demo calendar. */
const WORKDAY = 8 * 60;

const WON_REASONS = [['Product fit', 35], ['Relationship', 20], ['Price', 15], ['Timing', 12], ['Implementation risk', 6], ['Other', 4]] as const; // prettier-ignore
const LOST_REASONS = [['Price', 22], ['Competitor', 25], ['No budget', 12], ['Timing', 10], ['Product fit', 10], ['Champion left', 6], ['Lead quality', 8], ['Implementation risk', 5], ['Other', 2]] as const; // prettier-ignore
const NO_DECISION_REASONS = [['Timing', 35], ['No budget', 30], ['Champion left', 20], ['Unknown', 15]] as const; // prettier-ignore

/**
 * A conversion: the account, the contact and the opportunity, the opportunity's way through the
 * stages (to Closed Won, Closed Lost, or still open at `now`), and its win/loss review: on time,
 * late, or missing.
 */
export function buildDeal(ctx: SeedContext, lead: ConvertedLeadInput): ConvertedLead {
  const { r, out, cal, nowMs } = ctx;
  const { code, convertedAt, rep, identity: id } = lead;
  const q = lead.quality;

  // the stage path, decided up front, cut off at now
  const won = r.chance(WIN_RATE[q - 1]);
  const noDecision = !won && r.chance(0.2);
  const lostAfter = r.int(0, OPEN_STAGES.length - 1);
  const stages: Array<{ at: number; stage: string }> = [];
  let t = convertedAt;
  let stage = OPEN_STAGES[0];
  for (let i = 1; ; i++) {
    const next = won ? (OPEN_STAGES[i] ?? 'Closed Won') : i <= lostAfter ? OPEN_STAGES[i] : 'Closed Lost';
    const at = toSecond(cal.add(t, r.between(WORKDAY, (noDecision ? 9 : 5) * WORKDAY)).getTime()) + r.int(0, 59) * 1000;
    if (at >= nowMs) break;
    stages.push({ at, stage: next });
    t = at;
    stage = next;
    if (next.startsWith('Closed')) break;
  }
  const closed = stage.startsWith('Closed');
  const closedAt = closed ? t : undefined;

  const employees = id.NumberOfEmployees ?? 50;
  const [lo, hi] = employees < 50 ? [6, 25] : employees < 250 ? [15, 60] : employees < 1000 ? [30, 120] : [60, 250];
  const amount = Math.round((r.between(lo, hi) * 1000) / 500) * 500;

  const audit = { CreatedDate: iso(convertedAt) };
  const account = out.add(
    'Account',
    code,
    {
      Name: id.Company,
      Type: stage === 'Closed Won' ? 'Customer - Direct' : 'Prospect',
      Industry: id.Industry,
      NumberOfEmployees: id.NumberOfEmployees,
      AnnualRevenue: id.AnnualRevenue,
      Website: id.Website,
      Phone: id.Phone,
      BillingCity: id.City,
      BillingState: id.State,
      BillingCountry: id.Country,
      AccountSource: lead.source,
      ...audit
    },
    { OwnerId: rep.key, CreatedById: rep.key }
  ).key;
  const contact = out.add(
    'Contact',
    code,
    {
      FirstName: id.FirstName,
      LastName: id.LastName,
      Title: id.Title,
      Email: id.Email,
      Phone: id.Phone,
      LeadSource: lead.source,
      MailingCity: id.City,
      MailingState: id.State,
      MailingCountry: id.Country,
      ...audit
    },
    { AccountId: account, OwnerId: rep.key, CreatedById: rep.key }
  ).key;
  const fields: Record<string, SeedValue> = {
    Name: `${id.Company} - ${r.pick(PRODUCTS)}`,
    StageName: stage,
    Amount: amount,
    Probability: PROBABILITY[stage],
    CloseDate: localDate(closedAt ?? nowMs + r.int(10, 75) * DAY, DEMO_TIME_ZONE),
    Type: 'New Customer',
    LeadSource: lead.source,
    NextStep: closed ? null : r.pick(['Discovery call', 'Send proposal', 'Security review', 'Pricing call', 'Demo for the team']),
    Marketing_Sourced__c: lead.marketingSourced,
    ...audit,
    LastModifiedDate: iso(t)
  };
  const opportunity = out.add('Opportunity', code, fields, {
    AccountId: account,
    ContactId: contact,
    CampaignId: lead.campaign,
    OwnerId: rep.key,
    CreatedById: rep.key,
    LastModifiedById: rep.key
  }).key;

  const hist = historyRows(out, 'OpportunityFieldHistory', code, { OpportunityId: opportunity });
  // (the org writes the "created" row itself when the opportunity is inserted)
  let prev = OPEN_STAGES[0];
  for (const s of stages) {
    hist(s.at, rep.key, { Field: 'StageName', DataType: 'Picklist', OldValue: prev, NewValue: s.stage });
    prev = s.stage;
  }

  if (closedAt !== undefined)
    review(ctx, lead, opportunity, closedAt, stage === 'Closed Won' ? 'Won' : noDecision ? 'No Decision' : 'Lost');
  return { account, contact, opportunity };
}

/** The owner's win/loss review: most on time, some late, some never (or not yet). */
function review(
  ctx: SeedContext,
  lead: ConvertedLeadInput,
  opportunity: string,
  closedAt: number,
  outcome: 'Won' | 'Lost' | 'No Decision'
): void {
  const { r, out, cal, nowMs } = ctx;
  const u = r.float();
  if (u >= 0.8) return;
  const minutes = u < 0.55 ? r.between(20, 2600) : r.between(2760, 5400);
  const at = toSecond(cal.add(closedAt, minutes).getTime()) + r.int(0, 59) * 1000;
  if (at >= nowMs) return;

  const primary: string = r.weighted(outcome === 'Won' ? WON_REASONS : outcome === 'Lost' ? LOST_REASONS : NO_DECISION_REASONS);
  const pool: readonly (readonly [string, number])[] =
    outcome === 'Won' ? WON_REASONS : outcome === 'Lost' ? LOST_REASONS : NO_DECISION_REASONS;
  const secondary = r.sample(
    pool.map(([reason]) => reason).filter((x) => x !== primary && x !== 'Unknown'),
    r.weighted([
      [0, 40],
      [1, 40],
      [2, 20]
    ] as const)
  );
  const competitor = primary === 'Competitor' || secondary.includes('Competitor') || r.chance(outcome === 'Won' ? 0.3 : 0.2);
  const q = lead.quality;
  out.add(
    'Win_Loss_Review__c',
    lead.code,
    {
      Outcome__c: outcome,
      Primary_Reason__c: primary,
      Secondary_Reasons__c: secondary.length > 0 ? secondary.join(';') : null,
      Competitor__c: competitor ? r.pick(COMPETITORS) : null,
      Marketing_Influence__c: r.chance(0.06) ? 'Unknown' : lead.marketingSourced ? 'Sourced' : lead.influenced ? 'Influenced' : 'None',
      Lead_Quality_Retrospective__c: r.chance(0.12) ? null : Math.max(1, Math.min(5, q + r.pick([-1, 0, 0, 1]))),
      Lessons__c: r.chance(0.8) ? r.pick(REVIEW_LESSONS[outcome]) : null,
      Submitted_At__c: iso(at),
      CreatedDate: iso(at)
    },
    { Opportunity__c: opportunity, OwnerId: lead.rep.key, CreatedById: lead.rep.key }
  );
}
