import type { Connection } from 'jsforce';
import { BusinessCalendar } from '../../calendar';
import type { CalendarDefinition } from '../../calendar';
import type { TestOrg } from '../../localorg/testing';
import { liveElapsedMinutes } from '../../sla/clock';
import { jsonResult, runCli } from '../../testing/cli';
import { parsePeriod } from '../period';
import { computeScorecard, parseFigure, readFigure } from '../scorecard';
import type { ReportResult } from '../runner';
import type { QualityReasons } from '../qualityReasons';
import { startReportServer } from '../server';
import { ALL, NOW, startReportOrg } from './fixture';

/**
 * Every shipped report on a seeded local org: `closed-loop report <name> --format json` (the runner,
 * from the report metadata) against the same figures computed here from the raw records with this
 * test's own SOQL and arithmetic. Needs the built CLI (npm run build). Reports run `--now` the fixture's
 * clock: an open SLA timer's elapsed minutes are counted when the report runs (the sync stores none for a
 * clock that counts), here from its Due_At__c on its calendar at NOW.
 */

type Row = Record<string, unknown>;
type Values = Record<string, number | null>;
type Label = (r: Row) => string;

interface Expectation {
  rows: Row[];
  down: Label[];
  across?: Label;
  /** The summaries of one cell: its rows, and the rows of an ancestor cell (for PARENTGROUPVAL). */
  values: (rows: Row[], parent: (downLevel: number, acrossLevel: number) => Row[]) => Values;
}

interface Json {
  report: string;
  groups: Array<{
    level: number;
    labels: string[];
    path: Array<string | null>;
    values: Values;
    cells?: Array<{ labels: string[]; values: Values }>;
  }>;
  grandTotal: { values: Values; cells?: Array<{ labels: string[]; values: Values }> };
  acrossGroups: Array<{ labels: string[] }>;
  summaries: Array<{ key: string }>;
  query: { mode: string };
  excluded: { rows: number; what: string } | null;
}

// ---- arithmetic, written out here (half away from zero, as Salesforce displays) ----------------------
const round = (x: number, d: number) => {
  const f = 10 ** d;
  const r = (Math.sign(x) * Math.round(Math.abs(x) * f * (1 + Number.EPSILON))) / f;
  return Object.is(r, -0) ? 0 : r;
};
const nums = (rows: Row[], f: string) => rows.map((r) => get(r, f)).filter((v): v is number => typeof v === 'number');
const sum = (rows: Row[], f: string) => nums(rows, f).reduce((a, b) => a + b, 0);
const avg = (rows: Row[], f: string) => {
  const v = nums(rows, f);
  return v.length ? round(v.reduce((a, b) => a + b, 0) / v.length, 2) : null;
};
const median = (rows: Row[], f: string) => {
  const v = nums(rows, f).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return round(v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2, 2);
};
const percentile = (rows: Row[], f: string, p: number, d: number) => {
  const v = nums(rows, f).sort((a, b) => a - b);
  return v.length ? round(v[Math.max(1, Math.ceil((p / 100) * v.length)) - 1], d) : null;
};
const pct = (a: number, b: number) => (b === 0 ? null : round((a / b) * 100, 1));

function get(r: Row, path: string): unknown {
  let cur: unknown = r;
  for (const seg of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Row)[seg] : null;
  return cur ?? null;
}
const text =
  (path: string): Label =>
  (r) => {
    const v = get(r, path);
    return v === null || v === '' ? '-' : String(v);
  };
/** A checkbox grouping reads as words: its label, or "Not" and its label (or the report's own words, e.g. Won / Lost). */
const yesNo =
  (path: string, yes: string, no = `Not ${yes}`): Label =>
  (r) =>
    get(r, path) === true ? yes : no;

async function all(conn: Connection, soql: string): Promise<Row[]> {
  return (await conn.query<Row>(soql, { autoFetch: true, maxFetch: 1_000_000 })).records;
}

/** SLA_Timer__c fields that give an open timer's elapsed minutes at NOW (with liveElapsed). */
const LIVE = 'Status__c, Stopped_At__c, Due_At__c, Target_Minutes__c, Calendar__r.Definition__c';

/** Timer rows with Elapsed_Business_Minutes__c as counted at NOW: the stored value, or for an open timer the live count. */
function liveElapsed(rows: Row[]): Row[] {
  return rows.map((r) => {
    const definition = get(r, 'Calendar__r.Definition__c');
    const calendar = typeof definition === 'string' ? new BusinessCalendar(JSON.parse(definition) as CalendarDefinition) : null;
    return { ...r, Elapsed_Business_Minutes__c: liveElapsedMinutes(r, calendar, Date.parse(NOW)) };
  });
}

/** `closed-loop report <name> --format json` (or `--all`: every report, one process). */
async function cli(org: TestOrg, name: string | '--all', period: string): Promise<Json[]> {
  const run = await runCli(['report', name, '--format', 'json', '--period', period, '--now', NOW, '--connection-file', org.connectionFile]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const parsed = JSON.parse(run.stdout) as Json | Json[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** Compares every group, cell and the grand total of the CLI output with the expectation. */
function check(out: Json, e: Expectation): void {
  const key = (labels: string[]) => labels.join(' › ');
  const downPaths = new Map<string, string[]>();
  for (const r of e.rows)
    for (let d = 1; d <= e.down.length; d++)
      downPaths.set(
        key(e.down.slice(0, d).map((f) => f(r))),
        e.down.slice(0, d).map((f) => f(r))
      );
  expect(out.groups.map((g) => key(g.labels)).sort()).toEqual([...downPaths.keys()].sort());
  const across = e.across;
  if (across) expect(out.acrossGroups.map((a) => a.labels[0]).sort()).toEqual([...new Set(e.rows.map(across))].sort());

  const cellRows = (down: string[], acrossLabel: string | null) =>
    e.rows.filter((r) => down.every((l, i) => e.down[i](r) === l) && (acrossLabel === null || across!(r) === acrossLabel));
  const expectCell = (down: string[], acrossLabel: string | null, actual: Values, where: string) => {
    const rows = cellRows(down, acrossLabel);
    const parent = (d: number, a: number) => cellRows(down.slice(0, Math.min(d, down.length)), a > 0 ? acrossLabel : null);
    const expected = e.values(rows, parent);
    for (const [k, v] of Object.entries(expected)) {
      if (actual[k] !== v) throw new Error(`${where}: ${k} is ${String(actual[k])} in the report, ${String(v)} from the records`);
    }
    expect(Object.keys(actual).sort()).toEqual(out.summaries.map((s) => s.key).sort());
  };
  for (const g of out.groups) {
    expectCell(g.labels, null, g.values, key(g.labels));
    for (const c of g.cells ?? []) expectCell(g.labels, c.labels[0], c.values, `${key(g.labels)} / ${c.labels[0]}`);
  }
  expectCell([], null, out.grandTotal.values, 'Grand Total');
  for (const c of out.grandTotal.cells ?? []) expectCell([], c.labels[0], c.values, `Grand Total / ${c.labels[0]}`);
}

// ---- the reports --------------------------------------------------------------------------------------
const TIMER_RANGE = `Due_At__c >= ${ALL.from}T00:00:00Z AND Due_At__c < ${ALL.to}T23:59:59Z`;

function compliance(rows: Row[], ...levels: Label[]): Expectation {
  return {
    rows,
    down: [text('Clock__c'), ...levels],
    values: (r) => ({
      RowCount: r.length,
      'SLA_Timer__c$Elapsed_Business_Minutes__c:Median': median(r, 'Elapsed_Business_Minutes__c'),
      'SLA_Timer__c$Met_Within_SLA__c:Sum': round(sum(r, 'Met_Within_SLA__c'), 0),
      Percent_Met: pct(sum(r, 'Met_Within_SLA__c'), r.length),
      'P90(SLA_Timer__c$Elapsed_Business_Minutes__c)': percentile(r, 'Elapsed_Business_Minutes__c', 90, 2)
    })
  };
}

describe('closed-loop report on a seeded local org: every figure matches the raw records', () => {
  let org: TestOrg;
  /** `closed-loop report --all --format json` over the whole fixture: every report, by name. */
  const results = new Map<string, Json>();
  beforeAll(async () => {
    org = await startReportOrg();
    for (const r of await cli(org, '--all', `${ALL.from}..${ALL.to}`)) results.set(r.report, r);
  }, 120_000);
  const report = async (_org: TestOrg, name: string): Promise<Json> => {
    const r = results.get(name);
    if (!r) throw new Error(`closed-loop report --all did not return ${name}`);
    return r;
  };
  afterAll(async () => {
    await org?.close();
  });

  test('the fixture (seed + SLA sync) has data for every report, incl. the fields the sync derives', async () => {
    for (const [object, where] of [
      ['SLA_Timer__c', "Status__c = 'Met'"],
      ['SLA_Timer__c', "Status__c = 'Breached' AND Met_Within_SLA__c = 0"],
      ['SLA_Timer__c', "Status__c IN ('At Risk', 'Breached') AND Stopped_At__c = null"],
      ['SLA_Timer__c', "Status__c = 'Met' AND Met_Within_SLA__c = 1"],
      ['Lead', 'Reached_Won__c = 1 AND Days_Opportunity_To_Won__c != null'],
      ['Lead', 'Sales_Owned_Minutes__c > 0 AND Marketing_Owned_Minutes__c > 0'],
      ['Lead_Quality_Feedback__c', "Disposition__c = 'Reject'"],
      ['Win_Loss_Review__c', 'Competitor__c != null'],
      ['Opportunity', 'IsWon = true AND Marketing_Sourced__c = true']
    ]) {
      const n = await org.conn.query(`SELECT COUNT() FROM ${object} WHERE ${where}`);
      expect([object, where, n.totalSize > 0]).toEqual([object, where, true]);
    }
  });

  test('SLA Compliance by Rep: % met, median and P90 business minutes per clock, SLA tier (policy) and rep', async () => {
    const rows = liveElapsed(
      await all(
        org.conn,
        `SELECT Id, Clock__c, Policy__c, Accountable_User__c, Accountable_User__r.Name, Elapsed_Business_Minutes__c, Met_Within_SLA__c, ${LIVE} FROM SLA_Timer__c
         WHERE Clock__c IN ('Accept', 'First Touch') AND Status__c IN ('Met', 'Breached') AND ${TIMER_RANGE}`
      )
    );
    const out = await report(org, 'SLA_Compliance_By_Rep');
    check(out, compliance(rows, text('Policy__c'), text('Accountable_User__r.Name')));
    // Cancelled timers (not required) are left out of % met, and the report says how many
    const cancelled = await org.conn.query(
      `SELECT COUNT() FROM SLA_Timer__c WHERE Clock__c IN ('Accept', 'First Touch') AND Status__c = 'Cancelled' AND ${TIMER_RANGE}`
    );
    expect(cancelled.totalSize).toBeGreaterThan(0);
    expect(out.excluded).toMatchObject({ rows: cancelled.totalSize });
  });

  test('the demo’s three Accept tiers each show their own median business minutes; a commitment can name one tier', async () => {
    const out = await report(org, 'SLA_Compliance_By_Rep');
    const groups = (out.groups as Array<{ level: number; labels: string[]; values: Record<string, number> }>).filter(
      (g) => g.level === 2 && g.labels[0] === 'Accept'
    );
    const median = Object.fromEntries(groups.map((g) => [g.labels[1], g.values['SLA_Timer__c$Elapsed_Business_Minutes__c:Median']]));
    expect(Object.keys(median).sort()).toEqual(['Lead_Accept', 'Lead_Accept_Events', 'Lead_Accept_Inbound']);
    // reps decide on inbound requests fastest and on event batches last (the seed's story), and the report shows it
    expect(median.Lead_Accept_Inbound).toBeLessThan(median.Lead_Accept);
    expect(median.Lead_Accept).toBeLessThan(median.Lead_Accept_Events);
    const inbound = groups.find((g) => g.labels[1] === 'Lead_Accept_Inbound')!;
    expect(readFigure(out as unknown as ReportResult, parseFigure('Percent_Met @ Accept / Lead_Accept_Inbound'), 'test')).toBe(
      inbound.values.Percent_Met
    );
  });

  test('SLA Compliance by Manager: the same per clock and the rep’s manager', async () => {
    const rows = liveElapsed(
      await all(
        org.conn,
        `SELECT Id, Clock__c, Accountable_User__r.Manager.Name, Elapsed_Business_Minutes__c, Met_Within_SLA__c, ${LIVE} FROM SLA_Timer__c
         WHERE Clock__c IN ('Accept', 'First Touch') AND Status__c IN ('Met', 'Breached') AND ${TIMER_RANGE}`
      )
    );
    check(await report(org, 'SLA_Compliance_By_Manager'), compliance(rows, text('Accountable_User__r.Manager.Name')));
  });

  test('SLA Timers At Risk or Breached Now: open timers by status and rep', async () => {
    const rows = await all(
      org.conn,
      `SELECT Id, Status__c, Accountable_User__r.Name FROM SLA_Timer__c WHERE Status__c IN ('At Risk', 'Breached') AND Stopped_At__c = null AND ${TIMER_RANGE}`
    );
    check(await report(org, 'SLA_Timers_At_Risk_Or_Breached'), {
      rows,
      down: [text('Status__c'), text('Accountable_User__r.Name')],
      values: (r) => ({ RowCount: r.length })
    });
  });

  test('Win/Loss Review Completion: % of reviews in time per rep', async () => {
    const rows = liveElapsed(
      await all(
        org.conn,
        `SELECT Id, Accountable_User__r.Name, Elapsed_Business_Minutes__c, Met_Within_SLA__c, ${LIVE} FROM SLA_Timer__c
         WHERE Clock__c = 'Win/Loss Review' AND Status__c IN ('Met', 'Breached') AND ${TIMER_RANGE}`
      )
    );
    check(await report(org, 'Win_Loss_Review_Completion'), {
      rows,
      down: [text('Accountable_User__r.Name')],
      values: (r) => ({
        RowCount: r.length,
        'SLA_Timer__c$Elapsed_Business_Minutes__c:Median': median(r, 'Elapsed_Business_Minutes__c'),
        'SLA_Timer__c$Met_Within_SLA__c:Sum': round(sum(r, 'Met_Within_SLA__c'), 0),
        Percent_Met: pct(sum(r, 'Met_Within_SLA__c'), r.length)
      })
    });
  });

  const FEEDBACK = `SELECT Id, Lead__c, Lead_Source__c, Campaign__c, Campaign__r.Name, Disposition__c, Reason__c, Rating__c FROM Lead_Quality_Feedback__c
    WHERE Submitted_At__c >= ${ALL.from}T00:00:00Z AND Submitted_At__c < ${ALL.to}T23:59:59Z`;
  const quality = (rows: Row[], row: Label): Expectation => ({
    rows,
    down: [row],
    across: text('Disposition__c'),
    values: (r, parent) => ({
      RowCount: r.length,
      'Lead_Quality_Feedback__c$Rating__c:Average': avg(r, 'Rating__c'),
      Share_Of_Row: pct(r.length, parent(1, 0).length)
    })
  });

  test('Lead Quality by Lead Source: average rating and % accepted / recycled / rejected per source', async () => {
    const out = await report(org, 'Lead_Quality_By_Lead_Source');
    expect(out.query.mode).toBe('groupBy');
    check(out, quality(await all(org.conn, FEEDBACK), text('Lead_Source__c')));
  });

  test('Lead Quality by Campaign: the same per campaign', async () => {
    check(await report(org, 'Lead_Quality_By_Campaign'), quality(await all(org.conn, FEEDBACK), text('Campaign__r.Name')));
  });

  test('Rejection and Recycle Reasons: count and share of the disposition per reason', async () => {
    const rows = (await all(org.conn, FEEDBACK)).filter((r) => r.Disposition__c === 'Recycle' || r.Disposition__c === 'Reject');
    check(await report(org, 'Rejection_And_Recycle_Reasons'), {
      rows,
      down: [text('Disposition__c'), text('Reason__c')],
      values: (r, parent) => ({ RowCount: r.length, Share_Of_Disposition: pct(r.length, parent(1, 0).length) })
    });
  });

  const recycledOrRejected = (r: Row) => r.Disposition__c === 'Recycle' || r.Disposition__c === 'Reject';
  const reasons =
    (row: Label): ((rows: Row[]) => Expectation) =>
    (rows) => ({
      rows,
      down: [row, text('Disposition__c'), text('Reason__c')],
      values: (r, parent) => ({ RowCount: r.length, Share_Of_Disposition: pct(r.length, parent(2, 0).length) })
    });
  /** The detail rows (the leads) are every recycled or rejected feedback, each under its own groups, newest first. */
  const expectLeads = (out: Json, rows: Row[], row: Label) => {
    const leaves = (
      out as unknown as { groups: Array<{ level: number; labels: string[]; rows?: Array<{ id: string; values: Row }> }> }
    ).groups.filter((g) => g.level === 3);
    const byId = new Map(rows.map((r) => [r.Id as string, r]));
    const seen: string[] = [];
    for (const g of leaves) {
      const submitted = (g.rows ?? []).map((d) => String(d.values['Lead_Quality_Feedback__c$Submitted_At__c']));
      expect(submitted).toEqual([...submitted].sort().reverse());
      for (const d of g.rows ?? []) {
        const r = byId.get(d.id)!;
        expect([row(r), text('Disposition__c')(r), text('Reason__c')(r)]).toEqual(g.labels);
        seen.push(d.id);
      }
    }
    expect(seen.sort()).toEqual([...byId.keys()].sort());
  };

  test('Recycle and Reject Reasons by Lead Source: per source, disposition and reason, share of the disposition, the leads', async () => {
    const rows = (await all(org.conn, FEEDBACK)).filter(recycledOrRejected);
    const out = await report(org, 'Lead_Quality_Reasons_By_Source');
    check(out, reasons(text('Lead_Source__c'))(rows));
    expectLeads(out, rows, text('Lead_Source__c'));
  });

  test('Recycle and Reject Reasons by Campaign: the same per campaign', async () => {
    const rows = (await all(org.conn, FEEDBACK)).filter(recycledOrRejected);
    const out = await report(org, 'Lead_Quality_Reasons_By_Campaign');
    check(out, reasons(text('Campaign__r.Name'))(rows));
    expectLeads(out, rows, text('Campaign__r.Name'));
  });

  test('Lead Quality by Lead Source and by Campaign come with their top reasons and linked example leads', async () => {
    const rows = (await all(org.conn, FEEDBACK)).filter(recycledOrRejected);
    for (const [name, key] of [
      ['Lead_Quality_By_Lead_Source', 'Lead_Source__c'],
      ['Lead_Quality_By_Campaign', 'Campaign__c']
    ] as const) {
      const q = (results.get(name) as unknown as { reasons: QualityReasons }).reasons;
      expect(q.report).toBe(name === 'Lead_Quality_By_Lead_Source' ? 'Lead_Quality_Reasons_By_Source' : 'Lead_Quality_Reasons_By_Campaign');
      for (const g of q.groups) {
        const mine = rows.filter((r) => (r[key] ?? null) === g.key);
        for (const [disposition, d] of [
          ['Reject', g.reject],
          ['Recycle', g.recycle]
        ] as const) {
          const of = mine.filter((r) => r.Disposition__c === disposition);
          const counts = new Map<string, number>();
          for (const r of of) counts.set(String(r.Reason__c), (counts.get(String(r.Reason__c)) ?? 0) + 1);
          const expected = [...counts.values()].sort((a, b) => b - a).slice(0, 3);
          expect([g.label, disposition, d.count, d.top.map((f) => f.count)]).toEqual([g.label, disposition, of.length, expected]);
          for (const f of d.top) expect([f.reason, f.count, f.share]).toEqual([f.reason, counts.get(f.reason), pct(f.count, of.length)]);
        }
        for (const e of g.examples) {
          const fb = mine.find((r) => r.Id === e.feedbackId)!;
          expect([e.disposition, e.reason, e.leadId]).toEqual([fb.Disposition__c, fb.Reason__c, fb.Lead__c]);
          expect(e.url).toBe(`http://127.0.0.1:5180/lead/${String(fb.Lead__c)}`);
          expect([...g.reject.top, ...g.recycle.top].map((f) => f.reason)).toContain(e.reason);
        }
        expect(g.examples.length).toBe(Math.min(3, mine.length));
      }
    }
  });

  test('Lead Quality Feedback Completeness: share of feedback with a rating and a disposition', async () => {
    const rows = await all(org.conn, FEEDBACK);
    check(await report(org, 'Lead_Quality_Feedback_Completeness'), {
      rows,
      down: [
        (r) => (typeof r.Rating__c === 'number' && r.Rating__c > 0 ? 'Rated' : 'Not rated'),
        (r) => (['Accept', 'Recycle', 'Reject'].includes(String(r.Disposition__c)) ? 'Disposition given' : 'No disposition')
      ],
      values: (r, parent) => ({ RowCount: r.length, Share_Of_Feedback: pct(r.length, parent(0, 0).length) })
    });
  });

  const REVIEWS = `SELECT Id, Outcome__c, Primary_Reason__c, Competitor__c, Marketing_Influence__c, Opportunity__r.Amount, Opportunity__r.Marketing_Sourced__c
    FROM Win_Loss_Review__c`;
  const closedInRange = `Opportunity__r.CloseDate >= ${ALL.from} AND Opportunity__r.CloseDate <= ${ALL.to}`;
  const amount = (r: Row[]) => (r.length ? round(sum(r, 'Opportunity__r.Amount'), 2) : null);

  test('Win/Loss Reasons by Outcome: primary reason × outcome, amount, share of the outcome', async () => {
    const out = await report(org, 'Win_Loss_Reasons_By_Outcome');
    check(out, {
      rows: await all(org.conn, `${REVIEWS} WHERE ${closedInRange}`),
      down: [text('Primary_Reason__c')],
      across: text('Outcome__c'),
      values: (r, parent) => ({
        RowCount: r.length,
        'Win_Loss_Review__c$Opportunity__c.Amount:Sum': amount(r),
        Share_Of_Outcome: pct(r.length, parent(0, 1).length)
      })
    });
  });

  test('Win/Loss by Competitor: outcome per competitor', async () => {
    check(await report(org, 'Win_Loss_By_Competitor'), {
      rows: await all(org.conn, `${REVIEWS} WHERE Competitor__c != null AND ${closedInRange}`),
      down: [text('Competitor__c'), text('Outcome__c')],
      values: (r, parent) => ({
        RowCount: r.length,
        'Win_Loss_Review__c$Opportunity__c.Amount:Sum': amount(r),
        Share_Of_Competitor: pct(r.length, parent(1, 0).length)
      })
    });
  });

  test('Win/Loss by Marketing Sourced: marketing-sourced or not × reason × outcome', async () => {
    check(await report(org, 'Win_Loss_By_Marketing_Sourced'), {
      rows: await all(org.conn, `${REVIEWS} WHERE ${closedInRange}`),
      down: [yesNo('Opportunity__r.Marketing_Sourced__c', 'Marketing Sourced'), text('Primary_Reason__c')],
      across: text('Outcome__c'),
      values: (r, parent) => ({
        RowCount: r.length,
        'Win_Loss_Review__c$Opportunity__c.Amount:Sum': amount(r),
        Share_Of_Row: pct(r.length, parent(1, 0).length)
      })
    });
  });

  test('Win/Loss Attribution: share of reviews with known marketing influence', async () => {
    const rows = await all(org.conn, `${REVIEWS} WHERE Submitted_At__c >= ${ALL.from}T00:00:00Z AND Submitted_At__c < ${ALL.to}T23:59:59Z`);
    check(await report(org, 'Win_Loss_Attribution'), {
      rows,
      down: [
        (r) => (r.Marketing_Influence__c === null ? 'Not recorded' : r.Marketing_Influence__c === 'Unknown' ? 'Unknown' : 'Known'),
        text('Outcome__c')
      ],
      values: (r, parent) => ({ RowCount: r.length, Share_Of_Reviews: pct(r.length, parent(0, 0).length) })
    });
  });

  const FUNNEL_FIELDS =
    'LeadSource, Reached_SAL__c, Reached_SQL__c, Reached_Opportunity__c, Reached_Won__c, Days_MQL_To_SAL__c, Days_SAL_To_SQL__c, ' +
    'Days_SQL_To_Opportunity__c, Days_Opportunity_To_Won__c, Marketing_Owned_Minutes__c, Sales_Owned_Minutes__c';
  const funnel = (rows: Row[]): Expectation => ({
    rows,
    down: [text('LeadSource')],
    values: (r) => {
      const s = (f: string) => sum(r, f);
      return {
        RowCount: r.length,
        'Lead$Reached_SAL__c:Sum': round(s('Reached_SAL__c'), 0),
        'Lead$Reached_SQL__c:Sum': round(s('Reached_SQL__c'), 0),
        'Lead$Reached_Opportunity__c:Sum': round(s('Reached_Opportunity__c'), 0),
        'Lead$Reached_Won__c:Sum': round(s('Reached_Won__c'), 0),
        'Lead$Days_MQL_To_SAL__c:Median': median(r, 'Days_MQL_To_SAL__c'),
        'Lead$Days_SAL_To_SQL__c:Median': median(r, 'Days_SAL_To_SQL__c'),
        'Lead$Days_SQL_To_Opportunity__c:Median': median(r, 'Days_SQL_To_Opportunity__c'),
        'Lead$Days_Opportunity_To_Won__c:Median': median(r, 'Days_Opportunity_To_Won__c'),
        'Lead$Marketing_Owned_Minutes__c:Sum': round(s('Marketing_Owned_Minutes__c'), 2),
        'Lead$Sales_Owned_Minutes__c:Sum': round(s('Sales_Owned_Minutes__c'), 2),
        MQL_To_SAL: pct(s('Reached_SAL__c'), r.length),
        SAL_To_SQL: pct(s('Reached_SQL__c'), s('Reached_SAL__c')),
        SQL_To_Opportunity: pct(s('Reached_Opportunity__c'), s('Reached_SQL__c')),
        Opportunity_To_Won: pct(s('Reached_Won__c'), s('Reached_Opportunity__c')),
        MQL_To_Won: pct(s('Reached_Won__c'), r.length),
        Marketing_Share_Of_Owned_Time: pct(s('Marketing_Owned_Minutes__c'), s('Marketing_Owned_Minutes__c') + s('Sales_Owned_Minutes__c'))
      };
    }
  });

  test('Funnel Conversion and Velocity: MQL → SAL → SQL → opportunity → won per lead source', async () => {
    const rows = await all(
      org.conn,
      `SELECT ${FUNNEL_FIELDS} FROM Lead WHERE MQL_At__c != null AND MQL_At__c >= ${ALL.from}T00:00:00Z AND MQL_At__c < ${ALL.to}T23:59:59Z`
    );
    check(await report(org, 'Funnel_Conversion_And_Velocity'), funnel(rows));
  });

  test('a relative period is resolved by the org (this month of the org clock), as on the Reports tab', async () => {
    const rows = await all(org.conn, `SELECT ${FUNNEL_FIELDS} FROM Lead WHERE MQL_At__c != null AND MQL_At__c = THIS_MONTH`);
    const [out] = await cli(org, 'Funnel_Conversion_And_Velocity', 'this-month');
    expect(out.grandTotal.values.RowCount).toBeGreaterThan(0);
    check(out, funnel(rows));
  });

  test('Marketing Share of Closed-Won Revenue: won amount by marketing-sourced or not, and its share', async () => {
    const rows = await all(
      org.conn,
      `SELECT Id, Amount, Marketing_Sourced__c FROM Opportunity WHERE IsWon = true AND CloseDate >= ${ALL.from} AND CloseDate <= ${ALL.to}`
    );
    check(await report(org, 'Marketing_Share_Of_Closed_Won_Revenue'), {
      rows,
      down: [yesNo('Marketing_Sourced__c', 'Marketing Sourced')],
      values: (r, parent) => ({
        RowCount: r.length,
        'Opportunity$Amount:Sum': round(sum(r, 'Amount'), 2),
        Share_Of_Won_Revenue: pct(sum(r, 'Amount'), sum(parent(0, 0), 'Amount'))
      })
    });
  });

  test('Marketing-Sourced Close Ratio: won / closed, marketing-sourced or not', async () => {
    const rows = await all(
      org.conn,
      `SELECT Id, Amount, Marketing_Sourced__c, IsWon FROM Opportunity WHERE IsClosed = true AND CloseDate >= ${ALL.from} AND CloseDate <= ${ALL.to}`
    );
    check(await report(org, 'Marketing_Sourced_Close_Ratio'), {
      rows,
      down: [yesNo('Marketing_Sourced__c', 'Marketing Sourced'), yesNo('IsWon', 'Won', 'Lost')],
      values: (r, parent) => ({
        RowCount: r.length,
        'Opportunity$Amount:Sum': round(sum(r, 'Amount'), 2),
        Close_Ratio: pct(r.length, parent(1, 0).length)
      })
    });
  });

  test('closed-loop report --all as text fits 120 columns, in words and business time', async () => {
    const run = await runCli(['report', '--all', '--period', `${ALL.from}..${ALL.to}`, '--connection-file', org.connectionFile]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.filter((l) => l.length > 120)).toEqual([]);
    expect(run.stdout).not.toMatch(/\b(true|false)\b|\$\w+__c/);
    expect(run.stdout).toMatch(/^Not Marketing Sourced\s/m);
    expect(run.stdout).toMatch(/Business time: 1 d = one business day of \d+ h/);
    expect(run.stdout).toMatch(/\b\d+ h( \d+ min)?\b/);
  });

  test('every shipped report is covered above', async () => {
    const run = await runCli(['report', '--list', '--json']);
    const names = jsonResult<Array<{ name: string }>>(run.stdout)
      .map((r) => r.name)
      .sort();
    expect([...results.keys()].sort()).toEqual(names);
    expect(names).toEqual(
      [
        'Funnel_Conversion_And_Velocity',
        'Lead_Quality_By_Campaign',
        'Lead_Quality_By_Lead_Source',
        'Lead_Quality_Feedback_Completeness',
        'Lead_Quality_Reasons_By_Campaign',
        'Lead_Quality_Reasons_By_Source',
        'Marketing_Share_Of_Closed_Won_Revenue',
        'Marketing_Sourced_Close_Ratio',
        'Rejection_And_Recycle_Reasons',
        'SLA_Compliance_By_Manager',
        'SLA_Compliance_By_Rep',
        'SLA_Timers_At_Risk_Or_Breached',
        'Win_Loss_Attribution',
        'Win_Loss_By_Competitor',
        'Win_Loss_By_Marketing_Sourced',
        'Win_Loss_Reasons_By_Outcome',
        'Win_Loss_Review_Completion'
      ].sort()
    );
  });

  test('the reports npm start serves over HTTP are the same figures', async () => {
    const server = await startReportServer(org.conn, {
      now: () => new Date(NOW),
      recordUrl: (object, id) => `http://127.0.0.1:5181/${object.toLowerCase()}/${id}`
    });
    // as a script of the same run: the token (a browser gets it from the printed URL, as a cookie)
    const fetch = (url: string) => globalThis.fetch(url, { headers: { authorization: `Bearer ${server.access.token}` } });
    try {
      const period = `period=${ALL.from}..${ALL.to}`;
      const page = await fetch(`${server.url}?${period}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      for (const r of results.values()) expect(html).toContain(`>${(r as unknown as { label: string }).label}</a></h2>`);
      // the lead quality reports with their reasons, the leads linked where the server was told (npm start: the preview)
      expect(html).toContain('Top recycle and reject reasons by lead source');
      expect(html).toContain('Top recycle and reject reasons by campaign');
      expect(html).toMatch(/<a href="http:\/\/127\.0\.0\.1:5181\/lead\/00Q\w{15}">/);
      const quality = (await (await fetch(`${server.url}/Lead_Quality_By_Lead_Source.json?${period}`)).json()) as {
        reasons: QualityReasons;
      };
      expect(quality.reasons.groups.map((g) => g.label)).toEqual(
        (results.get('Lead_Quality_By_Lead_Source') as unknown as { reasons: QualityReasons }).reasons.groups.map((g) => g.label)
      );
      const one = (await (await fetch(`${server.url}/SLA_Compliance_By_Rep.json?${period}`)).json()) as Json;
      expect(one.groups).toEqual(results.get('SLA_Compliance_By_Rep')!.groups);
      expect((await fetch(`${server.url}/No_Such_Report`)).status).toBe(404);
      const bad = await fetch(`${server.url}?period=someday`);
      expect([bad.status, (await bad.text()).trim()]).toEqual([400, expect.stringMatching(/^--period must be/)]);
    } finally {
      await server.close();
    }
  });

  test('the scorecard shows both sides, and each actual is its report figure; --write stores what the home page shows', async () => {
    const period = '2026-02-01..2026-02-28';
    const run = await runCli([
      'scorecard',
      '--json',
      '--write',
      '--period',
      period,
      '--trend',
      '1',
      '--connection-file',
      org.connectionFile
    ]);
    expect(run.code).toBe(0);
    const card = jsonResult<{
      lines: Array<{
        developerName: string;
        side: string;
        report: string;
        figure: string;
        current: { actual: number | null; result: string };
        trend: unknown[];
      }>;
      written: { upserted: number };
    }>(run.stdout);
    expect(new Set(card.lines.map((l) => l.side))).toEqual(new Set(['Marketing', 'Sales']));
    expect(card.lines.length).toBeGreaterThanOrEqual(7);
    expect(card.written.upserted).toBe(card.lines.length);
    const february = new Map((await cli(org, '--all', period)).map((r) => [r.report, r]));
    for (const line of card.lines) {
      expect(line.trend).toHaveLength(1);
      const out = february.get(line.report)!;
      const [summary, path] = line.figure.split('@').map((s) => s.trim());
      const labels = path ? path.split('/').map((s) => s.trim()) : [];
      // a figure names its group by label or by key (`true / true` for two checkbox groupings)
      const group = labels.length
        ? out.groups.find((g) => g.level === labels.length && labels.every((l, i) => g.labels[i] === l || g.path[i] === l))
        : { values: out.grandTotal.values };
      expect([line.developerName, line.current.actual]).toEqual([line.developerName, group?.values[summary] ?? null]);
    }
    const snapshots = await all(
      org.conn,
      'SELECT Commitment__c, Actual__c, Result__c, Trend__c, Report_Name__c FROM Scorecard_Snapshot__c'
    );
    expect(snapshots).toHaveLength(card.lines.length);
    for (const line of card.lines) {
      const s = snapshots.find((x) => x.Commitment__c === line.developerName)!;
      expect([s.Actual__c, s.Result__c, s.Report_Name__c]).toEqual([line.current.actual, line.current.result, line.report]);
      expect(JSON.parse(String(s.Trend__c))).toHaveLength(1);
    }
  }, 90_000);

  test('the scorecard knows where the period is: a pace mid-month, no verdict for a future period, "no data" for an empty one', async () => {
    // the fixture's clock: Wednesday 18 March 2026, so March is in progress
    const now = new Date(NOW);
    const running = await computeScorecard(org.conn, { now, trend: 0 });
    const volume = running.lines.find((l) => l.unit === 'Count')!;
    expect(volume.current).toMatchObject({ label: 'March 2026', status: 'in progress' });
    const elapsed = volume.current.elapsed!;
    expect(elapsed).toBeGreaterThan(0.4);
    expect(elapsed).toBeLessThan(0.7);
    expect(volume.current.expected).toBeCloseTo(volume.target! * elapsed, 2);
    const behind = volume.current.actual! < volume.current.expected!;
    expect(volume.current.result).toBe(behind ? 'Off pace' : 'On pace');
    expect(volume.current.note).toBe(
      behind
        ? `behind pace: ${volume.current.actual} of ${Math.round(volume.current.expected!)} expected by today`
        : `on pace: ${Math.round(volume.current.expected!)} expected by today`
    );
    const march = await cli(org, volume.report, '2026-03-01..2026-03-31');
    expect(volume.current.actual).toBe(march[0].grandTotal.values.RowCount);
    for (const l of running.lines) expect(['On pace', 'Off pace', 'No data']).toContain(l.current.result);

    const future = await computeScorecard(org.conn, { now, trend: 0, period: parsePeriod('2026-04-01..2026-04-30') });
    for (const l of future.lines)
      expect([l.developerName, l.current.result, l.current.actual]).toEqual([l.developerName, 'Not started', null]);

    const empty = await computeScorecard(org.conn, { now, trend: 0, period: parsePeriod('2025-06-01..2025-06-30') });
    for (const l of empty.lines) expect([l.developerName, l.current.result, l.current.actual]).toEqual([l.developerName, 'No data', null]);
  }, 60_000);

  test('every scorecard figure links to its report page for its period, and the page has the figure', async () => {
    const card = await computeScorecard(org.conn, { now: new Date(NOW), trend: 1 });
    const server = await startReportServer(org.conn);
    try {
      for (const l of card.lines) {
        for (const a of [...l.trend, l.current]) {
          expect(a.link.local).toBe(`/reports/${l.report}?period=${a.from}..${a.to}`);
          if (a.actual === null) continue;
          const page = await fetch(new URL(a.link.local, server.url), { headers: { authorization: `Bearer ${server.access.token}` } });
          expect([a.link.local, page.status]).toEqual([a.link.local, 200]);
          const html = await page.text();
          expect(html).toContain(`>${l.reportLabel}`);
          expect(html).not.toContain(': no data for this period');
          expect(html).toMatch(/<tr class="level-1/);
        }
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});
