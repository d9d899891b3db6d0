import type { Connection } from 'jsforce';
import { BusinessCalendar, type CalendarDefinition } from '../../calendar';
import { startTestOrg, type TestOrg } from '../../localorg/testing';
import { runSeed } from '../../seed';
import { leadFacts, type HistoryRow, type LeadRow } from '../../sla/clock';
import { DEFAULT_FUNNEL_STATUSES, funnelStages, metWithinSla, opportunityWonAt, LEAD_FUNNEL_FIELDS } from '../../sla/funnelStages';
import { runSync } from '../../sla/sync';

/**
 * A seeded local org for the report tests: fixed seed and clock, the demo data (seed 7, 300 leads over
 * 60 days before NOW), then the SLA sync (SLA_Timer__c, Lead.SLA_Status__c …) as it exists.
 *
 * Until the sync also writes the reports' derived fields (the Lead funnel fields and
 * SLA_Timer__c.Met_Within_SLA__c, scripts/sla/funnelStages.ts), this fixture writes them itself through
 * jsforce with those same functions, from the org's own rows, exactly as the sync is to. Once the sync
 * writes them, this step finds nothing to do.
 */
export const NOW = '2026-03-18T16:00:00.000Z';
/** Covers every record of the fixture (data: 2026-01-17 … 2026-03-18, due dates a few days later). */
export const ALL = { from: '2025-12-01', to: '2026-04-30' };
export const SEED = { seed: 7, leads: 300 };

export async function startReportOrg(): Promise<TestOrg> {
  const org = await startTestOrg({ now: () => new Date(NOW) });
  try {
    await runSeed(org.conn, { mode: 'local', seed: SEED.seed, leads: SEED.leads, now: NOW });
    await runSync(org.conn, { now: NOW, full: true });
    await completeDerivedFields(org.conn);
    return org;
  } catch (e) {
    await org.close();
    throw e;
  }
}

async function all<T>(conn: Connection, soql: string): Promise<T[]> {
  const res = await conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 1_000_000 });
  return res.records as T[];
}

async function completeDerivedFields(conn: Connection): Promise<void> {
  const timers = await all<{ Id: string; Status__c: string; Met_Within_SLA__c: number | null }>(
    conn,
    "SELECT Id, Status__c, Met_Within_SLA__c FROM SLA_Timer__c WHERE Status__c IN ('Met', 'Breached')"
  );
  const timerUpdates = timers
    .filter((t) => t.Met_Within_SLA__c === null)
    .map((t) => ({ Id: t.Id, Met_Within_SLA__c: metWithinSla(t.Status__c as 'Met' | 'Breached') }));
  for (let i = 0; i < timerUpdates.length; i += 200)
    await conn.sobject('SLA_Timer__c').update(timerUpdates.slice(i, i + 200), { allOrNone: true });

  const already = await conn.query('SELECT COUNT() FROM Lead WHERE Reached_SAL__c != null');
  if (already.totalSize > 0) return;
  const cal = await all<{ Definition__c: string }>(conn, 'SELECT Definition__c FROM SLA_Calendar__c LIMIT 1');
  const calendar = new BusinessCalendar(JSON.parse(cal[0].Definition__c) as CalendarDefinition);
  const leads = await all<LeadRow & { ConvertedOpportunityId: string | null }>(
    conn,
    'SELECT Id, CreatedDate, Status, OwnerId, IsConverted, LastModifiedDate, ConvertedOpportunityId FROM Lead'
  );
  const history = await all<HistoryRow & { LeadId: string }>(
    conn,
    'SELECT Id, LeadId, Field, OldValue, NewValue, CreatedDate FROM LeadHistory'
  );
  const opps = await all<{ Id: string; IsWon: boolean; CloseDate: string }>(conn, 'SELECT Id, IsWon, CloseDate FROM Opportunity');
  const oppHistory = await all<{ OpportunityId: string; NewValue: string; CreatedDate: string }>(
    conn,
    "SELECT OpportunityId, NewValue, CreatedDate FROM OpportunityFieldHistory WHERE Field = 'StageName'"
  );
  const byLead = new Map<string, HistoryRow[]>();
  for (const h of history) byLead.set(h.LeadId, [...(byLead.get(h.LeadId) ?? []), h]);
  const updates = leads.map((lead) => {
    const opp = opps.find((o) => o.Id === lead.ConvertedOpportunityId);
    const fields = funnelStages({
      facts: leadFacts({ lead, history: byLead.get(lead.Id) ?? [] }),
      statuses: DEFAULT_FUNNEL_STATUSES,
      calendar,
      opportunity: opp
        ? {
            isWon: opp.IsWon,
            wonAt: opportunityWonAt({
              isWon: opp.IsWon,
              closeDate: opp.CloseDate,
              wonStages: ['Closed Won'],
              stageHistory: oppHistory.filter((h) => h.OpportunityId === opp.Id).map((h) => ({ at: h.CreatedDate, stage: h.NewValue }))
            })
          }
        : null,
      now: NOW
    });
    return { Id: lead.Id, ...Object.fromEntries(LEAD_FUNNEL_FIELDS.map((f) => [f, fields[f]])) };
  });
  for (let i = 0; i < updates.length; i += 200) {
    const res = await conn.sobject('Lead').update(updates.slice(i, i + 200), { allOrNone: true });
    for (const r of res) if (!r.success) throw new Error(`funnel fields not written: ${JSON.stringify(r)}`);
  }
}
