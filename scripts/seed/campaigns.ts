import { DEMO_TIME_ZONE } from './businessHours';
import type { RecordSet } from './records';
import type { SeedRandom } from './random';
import { DAY, iso, localDate } from './time';

/** Lead sources, with how many leads each brings and how good they tend to be (mean quality 1–5). */
export interface LeadSourceProfile {
  source: string;
  /** Marketing brought the lead (Opportunity.Marketing_Sourced__c); otherwise sales did (referrals, inbound calls). */
  marketing: boolean;
  weight: number;
  quality: number;
  /** Chance marketing qualifies the lead at all. */
  mqlRate: number;
  /** Campaign types a lead from this source responded to (empty: no campaign). */
  campaignTypes: string[];
  /** Chance the lead came in through one of those campaigns. */
  campaignRate: number;
  /**
   * How fast reps decide on it, as a factor on their own pace (blank = 1): they answer an inbound request in
   * minutes and work through a trade show's batch of badge scans later in the day — what the demo's Accept tiers
   * (config/demo SLA policies) ask of them.
   */
  acceptPace?: number;
}

export const LEAD_SOURCES: readonly LeadSourceProfile[] = [
  {
    source: 'Web',
    marketing: true,
    weight: 26,
    quality: 3.0,
    mqlRate: 0.82,
    campaignTypes: ['Content'],
    campaignRate: 0.6,
    acceptPace: 0.4
  },
  {
    source: 'Webinar',
    marketing: true,
    weight: 14,
    quality: 3.6,
    mqlRate: 0.92,
    campaignTypes: ['Webinar'],
    campaignRate: 1,
    acceptPace: 3
  },
  {
    source: 'Trade Show',
    marketing: true,
    weight: 10,
    quality: 3.3,
    mqlRate: 0.88,
    campaignTypes: ['Trade Show'],
    campaignRate: 1,
    acceptPace: 3
  },
  {
    source: 'Advertisement',
    marketing: true,
    weight: 16,
    quality: 2.8,
    mqlRate: 0.78,
    campaignTypes: ['Advertisement'],
    campaignRate: 0.9
  },
  { source: 'Purchased List', marketing: true, weight: 8, quality: 2.0, mqlRate: 0.55, campaignTypes: ['List'], campaignRate: 1 },
  { source: 'Partner Referral', marketing: false, weight: 9, quality: 3.8, mqlRate: 0.95, campaignTypes: [], campaignRate: 0 },
  { source: 'Employee Referral', marketing: false, weight: 5, quality: 3.9, mqlRate: 0.95, campaignTypes: [], campaignRate: 0 },
  { source: 'Phone Inquiry', marketing: false, weight: 8, quality: 3.5, mqlRate: 0.9, campaignTypes: [], campaignRate: 0, acceptPace: 0.4 },
  { source: 'Other', marketing: false, weight: 4, quality: 2.7, mqlRate: 0.7, campaignTypes: [], campaignRate: 0 }
];

export interface SeedCampaign {
  key: string;
  name: string;
  /** Our grouping (matches LeadSourceProfile.campaignTypes); `Nurture` is the recycled-lead programme. */
  kind: string;
  startMs: number;
  endMs: number;
}

/** Name, Campaign.Type, our kind, start and end in days relative to now. */
const CAMPAIGNS: Array<[string, string, string, number, number]> = [
  ['Webinar: Forecasting That Sales Trusts', 'Webinar', 'Webinar', -64, -38],
  ['Webinar: The Lead Handoff Playbook', 'Webinar', 'Webinar', -34, 3],
  ['Trade Show: RevOps Summit', 'Trade Show', 'Trade Show', -50, -41],
  ['Trade Show: SaaS Connect', 'Trade Show', 'Trade Show', -18, -9],
  ['Paid Search: Pipeline Analytics', 'Advertisement', 'Advertisement', -90, 30],
  ['Paid Social: Retargeting', 'Banner Ads', 'Advertisement', -45, 20],
  ['Content: State of Revenue Operations Report', 'Other', 'Content', -70, 25],
  ['Content: SLA Template Download', 'Other', 'Content', -28, 40],
  ['Purchased List: Tech Leaders', 'Direct Mail', 'List', -62, -30],
  ['Email Nurture: Recycled Leads', 'Email', 'Nurture', -120, 90]
];

export function buildCampaigns(r: SeedRandom, out: RecordSet, nowMs: number, mops: string): SeedCampaign[] {
  return CAMPAIGNS.map(([name, type, kind, from, to], i) => {
    const startMs = nowMs + from * DAY;
    const endMs = nowMs + to * DAY;
    const budget = r.int(8, 60) * 1000;
    const done = endMs < nowMs;
    const rec = out.add(
      'Campaign',
      `C${String(i + 1).padStart(2, '0')}`,
      {
        Name: name,
        Type: type,
        Status: done ? 'Completed' : startMs > nowMs ? 'Planned' : 'In Progress',
        StartDate: localDate(startMs, DEMO_TIME_ZONE),
        EndDate: localDate(endMs, DEMO_TIME_ZONE),
        IsActive: !done,
        BudgetedCost: budget,
        ActualCost: done ? Math.round(budget * r.between(0.8, 1.15)) : Math.round(budget * r.between(0.3, 0.8)),
        ExpectedRevenue: budget * r.int(4, 10),
        Description: r.faker.company.catchPhrase(),
        CreatedDate: iso(startMs - 14 * DAY),
        LastModifiedDate: iso(Math.min(nowMs, endMs))
      },
      { OwnerId: mops, CreatedById: mops, LastModifiedById: mops }
    );
    return { key: rec.key, name, kind, startMs, endMs };
  });
}

/** The campaigns of `kind` running at `atMs` (or, failing that, the one that ended most recently before it). */
export function campaignsAt(campaigns: readonly SeedCampaign[], kind: string, atMs: number): SeedCampaign[] {
  const ofKind = campaigns.filter((c) => c.kind === kind && c.startMs <= atMs);
  const running = ofKind.filter((c) => c.endMs + 7 * DAY >= atMs);
  if (running.length > 0) return running;
  const ended = ofKind.sort((a, b) => b.endMs - a.endMs);
  return ended.slice(0, 1);
}
