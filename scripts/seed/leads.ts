import { DEMO_TIME_ZONE } from './businessHours';
import { campaignsAt, LEAD_SOURCES } from './campaigns';
import type { SeedContext } from './context';
import { Identities } from './identities';
import { writeLead } from './leadRecords';
import { STATUS, type Change, type Decision, type Disposition, type Feedback, type LeadStory } from './leadStory';
import type { Rep } from './people';
import type { SeedRandom } from './random';
import { DAY, MINUTE, businessMinutesBefore, toSecond, wallClock } from './time';

const ACCEPT_RATE = [0.08, 0.3, 0.62, 0.84, 0.93];
const REJECT_SHARE = [0.75, 0.5, 0.38, 0.3, 0.3];
const SQL_RATE = [0.02, 0.08, 0.26, 0.46, 0.6];
/**
 * Speed to lead: a lead the rep reached within the First Touch target is far likelier to qualify than one
 * reached late or never (×1.3 and ×0.12 of SQL_RATE, about the same conversions overall), so — as in a real
 * pipeline — the converted leads are mostly the ones touched in time.
 */
const SQL_RATE_TOUCHED_IN_TIME = 1.3;
const SQL_RATE_TOUCHED_LATE = 0.12;
/** The First Touch target of the package's default policy (SLA_Policy.Lead_First_Touch), in business minutes. */
export const FIRST_TOUCH_TARGET_MINUTES = 240;

const RECYCLE_REASONS: ReadonlyArray<readonly [string, number]> = [
  ['Bad timing', 40],
  ['No budget', 25],
  ['Not decision maker', 25],
  ['No need', 10]
];

/** BANT flag each reason denies (index into [Budget, Authority, Need, Timeline]). */
const DENIES: Record<string, number> = { 'No budget': 0, 'Not decision maker': 1, 'No need': 2, 'Bad timing': 3 };
/** Reasons that say the lead is not a real prospect at all: every BANT flag false. */
const NOT_A_PROSPECT = new Set(['Bad contact data', 'Competitor', 'Student or job seeker', 'Spam']);

/**
 * Creates `count` leads over the last `days` days with their whole story: MQL, routing through the
 * MQL queue, assignment, acceptance / recycling / rejection with feedback, re-MQL after recycling,
 * first touches and follow-ups, qualification and conversion into an account, contact and opportunity.
 *
 * One lead at a time, in key order: when the generator yields `true`, that lead's records are in `ctx.out`, and the
 * caller may take them (a plan loaded in batches of leads holds one batch, not the org). The random draws stay in the
 * order the plan has always made them — every lead's arrival, then every lead's story, then every lead's records —
 * so the same seed gives the same data however it is cut: the stories are told twice, once to find where the
 * records' draws begin (those stories are dropped), then again from a second source on the same sequence
 * (`SeedRandom.at`), each just before its lead is written. It yields `false` after each story of the first telling, so a
 * caller can pace that part too.
 */
export function* buildLeads(ctx: SeedContext, count: number, days: number): Generator<boolean, void, undefined> {
  const starts = arrivals(ctx, count, days);
  const storiesAt = ctx.r.position;
  for (let i = 0; i < count; i++) {
    tellStory(ctx, i, starts[i]);
    yield false;
  }
  const retold: SeedContext = { ...ctx, r: ctx.r.at(storiesAt) };
  const identities = new Identities(ctx);
  for (let i = 0; i < count; i++) {
    const story = tellStory(retold, i, starts[i]);
    writeLead(ctx, story, identities.for(story));
    yield true;
  }
}

interface Arrival {
  createdMs: number;
  assignedAt?: number;
}

/** When each lead arrives, in creation order (about 1 % still in flight at `now`). */
function arrivals(ctx: SeedContext, count: number, days: number): Arrival[] {
  const { r, nowMs } = ctx;
  const startMs = nowMs - days * DAY;
  const starts: Arrival[] = [];
  // about 1 % are in flight at `now`: assigned a known business time ago, so every demo shows
  // accept clocks running, at risk and breached whatever time of day it is seeded
  const inFlight = Math.round(count * 0.012);
  for (let i = 0; i < count - inFlight; i++) starts.push({ createdMs: sampleCreatedAt(ctx, startMs) });
  for (let i = 0; i < inFlight; i++) {
    const minutes = r.weighted([
      [r.int(3, 44), 35],
      [r.int(45, 59), 30],
      [r.int(60, 400), 35]
    ] as const);
    const assignedAt = businessMinutesBefore(ctx.cal, nowMs, minutes);
    starts.push({ createdMs: Math.max(startMs, assignedAt - r.int(4, 90) * MINUTE), assignedAt });
  }
  starts.sort((a, b) => a.createdMs - b.createdMs || (a.assignedAt ?? 0) - (b.assignedAt ?? 0));
  return starts;
}

/** The story of the lead at `index` (0-based), drawn from `ctx.r`. */
function tellStory(ctx: SeedContext, index: number, start: Arrival): LeadStory {
  const { r } = ctx;
  const story: LeadStory = {
    n: index + 1,
    key: `Lead:L${String(index + 1).padStart(5, '0')}`,
    createdMs: start.createdMs,
    assignedAt: start.assignedAt,
    source: r.weighted(LEAD_SOURCES.map((s) => [s, s.weight] as const)),
    quality: 3,
    changes: [],
    feedback: [],
    memberships: [],
    touches: [],
    identity: 'fresh'
  };
  story.quality = clamp(Math.round(r.normal(story.source.quality, 0.9)), 1, 5);
  if (story.assignedAt !== undefined) simulateInFlight(ctx, story, story.assignedAt);
  else simulate(ctx, story);
  return story;
}

/** A lead MQL'd and assigned moments ago, waiting for the rep's decision (sometimes already called). */
function simulateInFlight(ctx: SeedContext, s: LeadStory, assignedAt: number): void {
  const { r, nowMs, people } = ctx;
  const mqlAt = Math.min(assignedAt - MINUTE, s.createdMs + r.int(0, 2) * MINUTE);
  s.changes.push({ at: mqlAt, by: people.mops, field: 'Status', value: STATUS.mql });
  s.changes.push({ at: mqlAt, by: people.mops, field: 'Owner', value: people.mqlQueue });
  s.mqlAt = mqlAt;
  const rep = r.pick(people.reps);
  s.rep = rep;
  s.changes.push({ at: assignedAt, by: people.mops, field: 'Owner', value: rep.key });
  if (r.chance(0.4)) {
    const at = toSecond(assignedAt + (nowMs - assignedAt) * r.between(0.1, 0.9));
    s.touches.push({ at, owner: rep.key, kind: r.chance(0.6) ? 'call' : 'email' });
  }
}

/** Web leads arrive around the clock but mostly on weekday working hours (New York). */
function sampleCreatedAt(ctx: SeedContext, startMs: number): number {
  const { r, nowMs } = ctx;
  for (;;) {
    const t = startMs + r.int(0, Math.floor((nowMs - startMs) / 1000) - 1) * 1000;
    const w = wallClock(t, DEMO_TIME_ZONE);
    const weekend = w.weekday === 0 || w.weekday === 6;
    const working = w.hour >= 8 && w.hour < 18;
    const weight = (weekend ? 0.3 : 1) * (working ? 1 : w.hour >= 6 && w.hour < 22 ? 0.35 : 0.08);
    if (r.chance(weight)) return t;
  }
}

function simulate(ctx: SeedContext, s: LeadStory): void {
  const { r, nowMs, people } = ctx;
  const q = s.quality;
  const change = (at: number, by: string, field: Change['field'], value: string) => s.changes.push({ at, by, field, value });

  if (s.source.campaignTypes.length > 0 && r.chance(s.source.campaignRate)) {
    const options = campaignsAt(ctx.campaigns, r.pick(s.source.campaignTypes), s.createdMs);
    if (options.length > 0) s.memberships.push({ at: s.createdMs, campaign: r.pick(options), status: 'Responded' });
  }
  // marketing automation thanks every third marketing lead: a completed e-mail task, but not by a rep
  if (s.source.marketing && r.chance(0.3))
    s.touches.push({ at: s.createdMs + r.int(1, 5) * MINUTE, owner: people.mops, kind: 'auto-email' });

  // spam and students are caught by the rep at the latest; their identity shows it
  if (s.source.marketing && q === 1 && r.chance(0.5)) s.identity = r.chance(0.5) ? 'spam' : 'student';

  if (!r.chance(s.source.mqlRate)) return;
  let mqlAt = s.createdMs + mqlDelay(r);
  for (let cycle = 0; cycle < 3; cycle++) {
    if (mqlAt >= nowMs) return;
    change(mqlAt, people.mops, 'Status', STATUS.mql);
    s.mqlAt = mqlAt;
    s.acceptedAt = undefined;
    // the assignment rule moves it to the MQL queue in the same update, so no clock starts for marketing ops
    const queuedAt = mqlAt;
    change(queuedAt, people.mops, 'Owner', people.mqlQueue);
    const routedAt = routeTime(ctx, queuedAt);
    if (routedAt >= nowMs) return;
    const rep = cycle > 0 && s.rep && r.chance(0.5) ? s.rep : r.pick(people.reps);
    s.rep = rep;
    change(routedAt, people.mops, 'Owner', rep.key);

    const disposition = decide(r, q, cycle, s.identity);
    const decidedAt = acceptTime(ctx, routedAt, rep, s.source.acceptPace ?? 1);
    let touchAt = firstTouchTime(ctx, routedAt, rep, disposition);
    if (touchAt !== undefined && disposition.disposition !== 'Accept' && touchAt > decidedAt) {
      // reps who recycle or reject usually tried to reach the lead first; junk gets no call
      const tried = disposition.disposition === 'Recycle' ? 0.7 : NOT_A_PROSPECT.has(disposition.reason) ? 0.1 : 0.5;
      touchAt = r.chance(tried) ? toSecond(routedAt + (decidedAt - routedAt) * r.between(0.3, 0.95)) : undefined;
    }
    if (touchAt !== undefined && touchAt < nowMs) {
      s.touches.push({
        at: touchAt,
        owner: rep.key,
        kind: r.weighted([
          ['call', 45],
          ['email', 40],
          ['meeting', 15]
        ] as const)
      });
    }
    if (decidedAt >= nowMs) return;

    if (disposition.disposition !== 'Accept' || r.chance(0.82)) {
      s.feedback.push({ at: decidedAt, by: rep.key, ...disposition, bant: bant(r, q, disposition) });
    }
    if (disposition.disposition === 'Reject') {
      change(decidedAt, rep.key, 'Status', STATUS.rejected);
      return;
    }
    if (disposition.disposition === 'Recycle') {
      const next = recycle(ctx, s, decidedAt, rep);
      if (next === undefined) return;
      mqlAt = next;
      continue;
    }

    change(decidedAt, rep.key, 'Status', STATUS.accepted);
    s.acceptedAt = decidedAt;
    let last = Math.max(decidedAt, touchAt ?? 0);
    const end = followUps(ctx, s, rep, last);
    last = Math.max(last, end);

    const touchedInTime = touchAt !== undefined && ctx.cal.diff(routedAt, touchAt) <= FIRST_TOUCH_TARGET_MINUTES;
    const sqlRate = Math.min(0.95, SQL_RATE[q - 1] * (touchedInTime ? SQL_RATE_TOUCHED_IN_TIME : SQL_RATE_TOUCHED_LATE));
    if (r.chance(sqlRate)) {
      const sqlAt = workingTime(ctx, decidedAt + r.between(1, 10) * DAY);
      if (sqlAt >= nowMs) return openTask(ctx, s, rep, last);
      change(sqlAt, rep.key, 'Status', STATUS.qualified);
      if (!r.chance(0.85)) return openTask(ctx, s, rep, Math.max(last, sqlAt));
      const convertedAt = workingTime(ctx, sqlAt + r.between(0.2, 6) * DAY);
      if (convertedAt >= nowMs) return openTask(ctx, s, rep, Math.max(last, sqlAt));
      change(convertedAt, rep.key, 'Status', STATUS.converted);
      s.convertedAt = convertedAt;
      // activities logged after conversion belong to the contact/opportunity, not the lead
      s.touches = s.touches.filter((t) => t.at < convertedAt);
      return;
    }
    // accepted but not going anywhere: some go back to marketing after a while
    if (r.chance(0.18)) {
      const backAt = workingTime(ctx, decidedAt + r.between(5, 20) * DAY);
      if (backAt < nowMs) {
        const reason = r.weighted([
          ['Bad timing', 60],
          ['No budget', 40]
        ] as const);
        const disp: Decision = { disposition: 'Recycle', reason, rating: clamp(q - 1, 2, 3) };
        s.feedback.push({ at: backAt, by: rep.key, ...disp, bant: bant(r, q, disp) });
        s.touches = s.touches.filter((t) => t.at < backAt);
        const next = recycle(ctx, s, backAt, rep);
        if (next === undefined) return;
        mqlAt = next;
        continue;
      }
    }
    return openTask(ctx, s, rep, last);
  }
}

/** Recycled: status, back to the nurture queue, the nurture programme; returns the re-MQL time if it comes. */
function recycle(ctx: SeedContext, s: LeadStory, at: number, rep: Rep): number | undefined {
  const { r, nowMs, people } = ctx;
  s.changes.push({ at, by: rep.key, field: 'Status', value: STATUS.recycled });
  const parkedAt = at + r.int(0, 2) * MINUTE;
  if (parkedAt >= nowMs) return undefined;
  s.changes.push({ at: parkedAt, by: rep.key, field: 'Owner', value: people.nurtureQueue });
  const nurture = ctx.campaigns.find((c) => c.kind === 'Nurture')!;
  const sentAt = toSecond(parkedAt + r.between(1, 4) * DAY);
  if (sentAt >= nowMs) return undefined;
  s.memberships.push({ at: sentAt, campaign: nurture, status: 'Sent' });
  if (!r.chance(0.4)) return undefined;
  const respondedAt = toSecond(sentAt + r.between(5, 25) * DAY);
  if (respondedAt >= nowMs) return undefined;
  // the response to the nurture e-mail is what brings the lead back
  s.memberships[s.memberships.length - 1] = { at: sentAt, campaign: nurture, status: 'Responded' };
  return respondedAt + r.int(0, 30) * MINUTE;
}

/** The rep's verdict, from the lead's quality: good leads are accepted, junk rejected, the rest recycled. */
function decide(r: SeedRandom, q: number, cycle: number, identity: LeadStory['identity']): Decision {
  if (identity === 'spam') return dispo('Reject', 'Spam', 1);
  if (identity === 'student') return dispo('Reject', 'Student or job seeker', 1);
  const acceptRate = Math.min(0.97, ACCEPT_RATE[q - 1] + (cycle > 0 ? 0.1 : 0));
  if (r.chance(acceptRate)) return dispo('Accept', 'Good fit', clamp(q + r.pick([-1, 0, 0, 1]), 3, 5));
  if (r.chance(REJECT_SHARE[q - 1])) {
    const reason = r.weighted([
      ['Bad contact data', q <= 2 ? 20 : 10],
      ['Duplicate', 12],
      ['Already in contact', 9],
      ['Competitor', 5],
      ['No need', 22],
      ['No budget', 14]
    ] as const);
    const rating =
      reason === 'Duplicate' || reason === 'Already in contact'
        ? clamp(q, 2, 4)
        : reason === 'No need' || reason === 'No budget'
          ? r.int(1, 2)
          : 1;
    return dispo('Reject', reason, rating);
  }
  return dispo('Recycle', r.weighted(RECYCLE_REASONS), r.int(2, 3));

  function dispo(disposition: Disposition, reason: string, rating: number): Decision {
    return { disposition, reason, rating };
  }
}

function bant(r: SeedRandom, q: number, d: Decision): Feedback['bant'] {
  if (NOT_A_PROSPECT.has(d.reason)) return [false, false, false, false];
  const p = d.disposition === 'Accept' ? 0.5 + 0.09 * q : 0.45;
  const flags: Feedback['bant'] = [r.chance(p), r.chance(p), d.disposition === 'Accept' || r.chance(p), r.chance(p)];
  const denied = DENIES[d.reason];
  if (denied !== undefined) flags[denied] = false;
  return flags;
}

/** Scoring: some leads qualify at once (a demo request), most within a day, some after days of activity. */
function mqlDelay(r: SeedRandom): number {
  const u = r.float();
  if (u < 0.45) return r.int(0, 3) * MINUTE;
  if (u < 0.8) return Math.round(r.between(20, 24 * 60)) * MINUTE;
  return Math.round(r.between(1, 10) * 24 * 60) * MINUTE;
}

/** Routing out of the MQL queue: usually minutes, sometimes the next morning, sometimes a backlog. */
function routeTime(ctx: SeedContext, queuedAt: number): number {
  const { r, cal } = ctx;
  const u = r.float();
  if (u < 0.65) return queuedAt + r.int(1, 12) * MINUTE;
  if (u < 0.87) {
    if (cal.isOpen(queuedAt)) return queuedAt + r.int(10, 90) * MINUTE;
    return cal.nextOpen(queuedAt).getTime() + r.int(0, 40) * MINUTE;
  }
  return cal.add(queuedAt, r.int(60, 420)).getTime();
}

/** When the rep decides (accepts, recycles or rejects), in business time from the assignment, at the rep's pace. */
function acceptTime(ctx: SeedContext, routedAt: number, rep: Rep, sourcePace: number): number {
  const { r, cal } = ctx;
  if (!cal.isOpen(routedAt) && r.chance(0.12)) return routedAt + r.int(4, 120) * MINUTE;
  const u = r.float();
  const base = u < 0.6 ? r.between(1, 30) : u < 0.8 ? r.between(30, 56) : u < 0.93 ? r.between(60, 300) : r.between(300, 1800);
  return cal.add(routedAt, Math.max(1, Math.round(base * rep.acceptPace * sourcePace))).getTime() + r.int(0, 59) * 1000;
}

/** The rep's first call, e-mail or meeting: quick, late or never (rejected junk rarely gets one). */
function firstTouchTime(ctx: SeedContext, routedAt: number, rep: Rep, d: Decision): number | undefined {
  const { r, cal } = ctx;
  const never = d.disposition === 'Accept' ? 0.05 : d.disposition === 'Recycle' ? 0.2 : NOT_A_PROSPECT.has(d.reason) ? 0.85 : 0.45;
  if (r.chance(never)) return undefined;
  if (!cal.isOpen(routedAt) && r.chance(0.1)) return routedAt + r.int(3, 60) * MINUTE;
  const u = r.float();
  const base = u < 0.5 ? r.between(2, 120) : u < 0.68 ? r.between(120, 230) : u < 0.9 ? r.between(250, 1000) : r.between(1000, 4000);
  return cal.add(routedAt, Math.max(1, Math.round(base * rep.touchPace))).getTime() + r.int(0, 59) * 1000;
}

/** Follow-up calls and e-mails after acceptance; returns the last one's time. */
function followUps(ctx: SeedContext, s: LeadStory, rep: Rep, from: number): number {
  const { r, cal, nowMs } = ctx;
  let t = from;
  const n = r.int(0, 3);
  for (let i = 0; i < n; i++) {
    const next = toSecond(cal.add(t, r.between(120, 2400)).getTime()) + r.int(0, 59) * 1000;
    if (next >= nowMs) break;
    s.touches.push({ at: next, owner: rep.key, kind: r.chance(0.6) ? 'call' : 'email' });
    t = next;
  }
  return t;
}

/** An open follow-up task due in the coming days, for about half the leads a rep is still working. */
function openTask(ctx: SeedContext, s: LeadStory, rep: Rep, after: number): void {
  if (ctx.r.chance(0.5)) s.touches.push({ at: after + ctx.r.int(1, 30) * MINUTE, owner: rep.key, kind: 'open-task' });
}

/** A moment in working hours at or after `t` (someone doing the work in the office). */
function workingTime(ctx: SeedContext, t: number): number {
  const { cal, r } = ctx;
  return toSecond(cal.isOpen(t) ? t : cal.nextOpen(t).getTime() + r.int(5, 150) * MINUTE);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}
