import { DEMO_TIME_ZONE } from './businessHours';
import { historyRows, type SeedContext } from './context';
import { buildDeal, type ConvertedLead } from './deals';
import type { Identity } from './identities';
import { STATUS, type LeadStory } from './leadStory';
import { DAY, MINUTE, iso, localDate } from './time';
import { EMAIL_SUBJECTS, FEEDBACK_COMMENTS } from './texts';
import type { SeedValue } from './types';

/** Writes the lead, its history, campaign memberships, feedback, activities and, when converted, its deal. */
export function writeLead(ctx: SeedContext, s: LeadStory, id: Identity): void {
  const { r, out, people, nowMs } = ctx;
  const code = s.key.slice('Lead:'.length);
  const changes = [...s.changes].sort((a, b) => a.at - b.at);
  let status: string = STATUS.new;
  let owner = people.mops;
  let lastAt = s.createdMs;
  let lastBy = people.mops;
  for (const c of changes) {
    if (c.field === 'Status') status = c.value;
    else owner = c.value;
    lastAt = c.at;
    lastBy = c.by;
  }
  const latestFeedback = s.feedback[s.feedback.length - 1];
  const memberships = [...s.memberships].sort((a, b) => a.at - b.at);
  const campaignAt = (t: number) => [...memberships].reverse().find((m) => m.at <= t)?.campaign.key;
  const marketingSourced = s.source.marketing || memberships.some((m) => m.at === s.createdMs);

  let deal: ConvertedLead | undefined;
  if (s.convertedAt !== undefined) {
    deal = buildDeal(ctx, {
      code,
      convertedAt: s.convertedAt,
      rep: s.rep!,
      quality: s.quality,
      source: s.source.source,
      marketingSourced,
      influenced: memberships.length > 0,
      campaign: campaignAt(s.convertedAt),
      identity: id
    });
  }

  const fields: Record<string, SeedValue> = {
    FirstName: id.FirstName,
    LastName: id.LastName,
    Title: id.Title,
    Company: id.Company,
    Email: id.Email,
    Phone: id.Phone,
    Website: id.Website,
    Industry: id.Industry,
    NumberOfEmployees: id.NumberOfEmployees,
    AnnualRevenue: id.AnnualRevenue,
    City: id.City,
    State: id.State,
    Country: id.Country,
    LeadSource: s.source.source,
    Rating: s.quality >= 4 ? 'Hot' : s.quality === 3 ? 'Warm' : 'Cold',
    Status: status,
    MQL_At__c: s.mqlAt !== undefined ? iso(s.mqlAt) : null,
    Accepted_At__c: s.acceptedAt !== undefined ? iso(s.acceptedAt) : null,
    Quality_Rating__c: latestFeedback ? latestFeedback.rating : null,
    Recycle_Count__c: s.feedback.filter((f) => f.disposition === 'Recycle').length,
    Needs_Dedupe__c: s.feedback.some((f) => f.disposition === 'Reject' && (f.reason === 'Duplicate' || f.reason === 'Already in contact')),
    IsConverted: deal !== undefined,
    ConvertedDate: deal ? localDate(s.convertedAt!, DEMO_TIME_ZONE) : null,
    CreatedDate: iso(s.createdMs),
    LastModifiedDate: iso(lastAt)
  };
  out.add('Lead', code, fields, {
    OwnerId: owner,
    CreatedById: people.mops,
    LastModifiedById: lastBy,
    ConvertedAccountId: deal?.account,
    ConvertedContactId: deal?.contact,
    ConvertedOpportunityId: deal?.opportunity
  });

  // history as an org writes it on each update: a row per Status change, two per Owner change (Ids, then names),
  // and a leadConverted row. (The org writes the "created" row itself when the lead is inserted.)
  const hist = historyRows(out, 'LeadHistory', code, { LeadId: s.key });
  let prevStatus: string = STATUS.new;
  let prevOwner = people.mops;
  for (const c of changes) {
    if (c.field === 'Status') {
      hist(c.at, c.by, { Field: 'Status', DataType: 'Picklist', OldValue: prevStatus, NewValue: c.value });
      if (c.value === STATUS.converted) hist(c.at, c.by, { Field: 'leadConverted', DataType: null, OldValue: null, NewValue: null });
      prevStatus = c.value;
    } else {
      hist(c.at, c.by, { Field: 'Owner', DataType: 'EntityId' }, { OldValue: prevOwner, NewValue: c.value });
      hist(c.at, c.by, { Field: 'Owner', DataType: 'Text', OldValue: people.names.get(prevOwner)!, NewValue: people.names.get(c.value)! });
      prevOwner = c.value;
    }
  }

  memberships.forEach((m, i) => {
    out.add(
      'CampaignMember',
      `${code}-${i + 1}`,
      { Status: m.status, CreatedDate: iso(m.at) },
      { CampaignId: m.campaign.key, LeadId: s.key, ContactId: deal?.contact, CreatedById: people.mops }
    );
  });

  s.feedback.forEach((f, i) => {
    out.add(
      'Lead_Quality_Feedback__c',
      `${code}-${i + 1}`,
      {
        Rating__c: f.rating,
        Disposition__c: f.disposition,
        Reason__c: f.reason,
        Budget__c: f.bant[0],
        Authority__c: f.bant[1],
        Need__c: f.bant[2],
        Timeline__c: f.bant[3],
        Comment__c: r.chance(0.55) ? r.pick(FEEDBACK_COMMENTS[f.reason]) : null,
        Lead_Source__c: s.source.source,
        Submitted_At__c: iso(f.at),
        CreatedDate: iso(f.at)
      },
      { Lead__c: s.key, Campaign__c: campaignAt(f.at), OwnerId: f.by, CreatedById: f.by }
    );
  });

  // activities: on the lead until it is converted; a conversion moves them to the contact (WhoId) and to the
  // opportunity it creates (WhatId; the activity's AccountId follows from it), as an org does: "all open and
  // closed activities from the lead are attached to the account, contact and opportunity" (Salesforce Help,
  // Convert Leads)
  const who = deal ? deal.contact : s.key;
  const what = deal ? deal.opportunity : undefined;
  let t = 0;
  let e = 0;
  for (const touch of [...s.touches].sort((a, b) => a.at - b.at)) {
    const at = Math.min(touch.at, nowMs);
    const date = localDate(at, DEMO_TIME_ZONE);
    const refs = { WhoId: who, WhatId: what, OwnerId: touch.owner, CreatedById: touch.owner, LastModifiedById: touch.owner };
    if (touch.kind === 'meeting') {
      out.add(
        'Event',
        `${code}-${++e}`,
        {
          Subject: 'Meeting: Intro call',
          Type: 'Meeting',
          StartDateTime: iso(at),
          EndDateTime: iso(at + 30 * MINUTE),
          ActivityDateTime: iso(at),
          ActivityDate: date,
          DurationInMinutes: 30,
          Location: 'Video call',
          CreatedDate: iso(at),
          LastModifiedDate: iso(at)
        },
        refs
      );
      continue;
    }
    const open = touch.kind === 'open-task';
    const call = touch.kind === 'call';
    out.add(
      'Task',
      `${code}-${++t}`,
      {
        Subject: open
          ? 'Follow up'
          : call
            ? 'Call'
            : touch.kind === 'auto-email'
              ? 'Email: Thanks for your interest'
              : r.pick(EMAIL_SUBJECTS),
        Type: open ? 'Other' : call ? 'Call' : 'Email',
        TaskSubtype: call ? 'Call' : open ? 'Task' : 'Email',
        Status: open ? 'Not Started' : 'Completed',
        Priority: 'Normal',
        ActivityDate: open ? localDate(nowMs + r.int(1, 7) * DAY, DEMO_TIME_ZONE) : date,
        CallDurationInSeconds: call ? r.int(45, 1200) : null,
        CreatedDate: iso(at),
        LastModifiedDate: iso(at)
      },
      refs
    );
  }
}
