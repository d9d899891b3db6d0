/**
 * The line of `closed-loop sla sync`'s summary a rep's manager reads after a large first sync: how many alerts
 * went one by one, and how many digests summed up the rest of the crossings.
 */
import { formatSummary } from '../commands/sla';
import { emptySummary } from '../../sla/syncSummary';
import type { SyncSummary } from '../../sla/syncSummary';

const head: Pick<SyncSummary, 'mode' | 'reason' | 'dryRun' | 'now' | 'since' | 'warnings'> = {
  mode: 'full',
  reason: 'first sync',
  dryRun: false,
  now: '2026-03-02T20:00:00.000Z',
  since: null,
  warnings: []
};

it('alerts and digests: the alerts sent one by one, and the digests with the crossings they sum up', () => {
  const s = emptySummary(head);
  s.crossed = { atRisk: 1200, breached: 34800 };
  s.notifications = { sent: 60, failed: 0, digests: 10, digested: 35950 };
  expect(formatSummary(s)).toMatch(
    /crossed: 1,200 to at risk, 34,800 to breached, 50 alerts \+ 10 digests of 35,950 more sent \| API calls/
  );
});

it('without digests the line is as before; a dry run says what it would send, refused ones are named', () => {
  const s = emptySummary(head);
  s.notifications = { sent: 2, failed: 1, digests: 0, digested: 0 };
  expect(formatSummary(s)).toMatch(/, 2 alerts sent \(1 not sent\) \| /);
  const dry = emptySummary({ ...head, dryRun: true });
  dry.notifications = { sent: 7, failed: 0, digests: 1, digested: 3 };
  expect(formatSummary(dry)).toMatch(/, 6 alerts \+ 1 digest of 3 more to send \| /);
});
