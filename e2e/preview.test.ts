import type { Locator, Page } from 'playwright-core';
import { runCli } from '../scripts/testing/cli';
import {
  createClosedLostOpportunity,
  createMqlLead,
  isFocused,
  openPage,
  screenshot,
  startPreviewEnv,
  type PreviewEnv
} from './support/previewEnv';

/**
 * The components in the browser preview against a real (local) org: what a rep does on the record
 * pages ends up in the org, read back with jsforce. Radios are visually hidden by SLDS and sit in
 * synthetic shadow trees, so the tests click labels and find things by role, label and text.
 */

type FeedbackRow = {
  Rating__c: number;
  Disposition__c: string;
  Reason__c: string | null;
  Lead__c: string;
};

interface LeadRow {
  Status: string;
  Quality_Rating__c: number | null;
}

let env: PreviewEnv;

beforeAll(async () => {
  env = await startPreviewEnv();
}, 240_000);

afterAll(async () => {
  await env?.close();
});

const feedbackCard = (page: Page) => page.locator('c-lead-quality-feedback');

async function feedbackOf(leadId: string): Promise<FeedbackRow[]> {
  const r = await env.org.conn.query<FeedbackRow & { attributes?: { type: string; url: string }; CreatedById: string }>(
    `SELECT Rating__c, Disposition__c, Reason__c, Lead__c, CreatedById FROM Lead_Quality_Feedback__c WHERE Lead__c = '${leadId}'`
  );
  // the preview runs as a rep: what it saved, the rep saved, with Closed_Loop_Rep's permissions
  for (const row of r.records) expect(row.CreatedById).toBe(env.rep.userId);
  return r.records.map(({ attributes: _attributes, CreatedById: _by, ...row }) => row);
}

async function leadRow(leadId: string): Promise<LeadRow> {
  return (await env.org.conn.sobject('Lead').retrieve(leadId)) as unknown as LeadRow;
}

/** Presses Tab until `target` has the focus (at most `max` times); a keyboard user's way there. */
async function tabTo(page: Page, target: Locator, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press('Tab');
  }
  if (!(await isFocused(target))) throw new Error(`Tab never reached ${target.toString()}`);
}

describe('browser preview of the record pages', () => {
  it('lists the records, finds a lead by name and opens its record page with the components', async () => {
    const leadId = await createMqlLead(env.org.conn, env.org.userId, 'Listfinder');
    const { page, problems } = await openPage(env, `${env.preview.url}/`);
    await page.getByLabel('Search by name').fill('Listfinder');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Preview Listfinder' }).click();
    await page.waitForURL(`**/lead/${leadId}`);
    await expectVisible(page.getByRole('heading', { name: 'Preview Listfinder' }));
    await expectVisible(feedbackCard(page).getByRole('button', { name: 'Accept' }));
    await expectVisible(page.locator('c-sla-timer').getByText('SLA clocks', { exact: true }));
    await screenshot(page, 'lead-record-page');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens one record after another from the list without a page load; Back shows the list again', async () => {
    const first = await createMqlLead(env.org.conn, env.org.userId, 'Hopper One');
    const second = await createMqlLead(env.org.conn, env.org.userId, 'Hopper Two');
    const { page, problems } = await openPage(env, `${env.preview.url}/?q=Hopper&object=Lead`);
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    await page.getByRole('link', { name: 'Preview Hopper One' }).click();
    await page.waitForURL(`**/lead/${first}`);
    await expectVisible(page.getByRole('heading', { name: 'Preview Hopper One' }));
    await expectEnabled(feedbackCard(page).getByRole('button', { name: 'Accept' }));

    await page.goBack();
    await expectVisible(page.getByRole('heading', { name: 'Records', exact: true }));
    expect(await page.getByLabel('Search by name').inputValue()).toBe('Hopper');
    expect(await feedbackCard(page).count()).toBe(0);

    await page.getByRole('link', { name: 'Preview Hopper Two' }).click();
    await page.waitForURL(`**/lead/${second}`);
    await expectVisible(page.getByRole('heading', { name: 'Preview Hopper Two' }));
    await expectVisible(page.locator('[data-region="header"]').getByText('Hopper Two Industries'));
    await expectEnabled(feedbackCard(page).getByRole('button', { name: 'Accept' }));
    expect(await feedbackCard(page).count()).toBe(1);
    // the same document all along: the engine and the components were not loaded again
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await screenshot(page, 'lead-opened-from-list');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('rates a lead 4 and accepts it with the keyboard only; the org has the feedback and the new status', async () => {
    const leadId = await createMqlLead(env.org.conn, env.org.userId, 'Keyboard');
    const { page, problems } = await openPage(env, env.preview.recordUrl('Lead', leadId));
    const card = feedbackCard(page);
    const accept = card.getByRole('button', { name: 'Accept' });
    await expectEnabled(accept);

    await tabTo(page, card.getByLabel('1, poor'));
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    expect(await card.getByLabel('4, good').isChecked()).toBe(true);
    await tabTo(page, accept);
    await page.keyboard.press('Enter');

    const saved = card.getByRole('status').filter({ hasText: 'Accepted with rating 4 of 5' });
    await expectVisible(saved);
    expect(await saved.innerText()).toContain('Accepted with rating 4 of 5. Lead status is now Sales Accepted.');
    await screenshot(page, 'lead-accepted-keyboard');
    expect(await feedbackOf(leadId)).toEqual([{ Rating__c: 4, Disposition__c: 'Accept', Reason__c: null, Lead__c: leadId }]);
    // the lead's quality rating is the SLA sync's to set, from the feedback (never written from the browser)
    expect(await leadRow(leadId)).toMatchObject({ Status: 'Sales Accepted', Quality_Rating__c: null });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('rates a lead 4 and accepts it with the mouse; the page header shows the new status without a reload', async () => {
    const leadId = await createMqlLead(env.org.conn, env.org.userId, 'Mouse');
    const { page, problems } = await openPage(env, env.preview.recordUrl('Lead', leadId));
    const card = feedbackCard(page);
    await expectEnabled(card.getByRole('button', { name: 'Accept' }));

    await card.getByText('4, good').click();
    await card.getByRole('button', { name: 'Accept' }).click();

    await expectVisible(card.getByRole('status').filter({ hasText: 'Accepted with rating 4 of 5. Lead status is now Sales Accepted.' }));
    await expectVisible(card.getByText('Accept · rating 4 of 5'));
    await expectVisible(page.locator('[data-region="header"]').getByText('Sales Accepted'));
    await screenshot(page, 'lead-accepted-mouse');
    expect(await feedbackOf(leadId)).toEqual([{ Rating__c: 4, Disposition__c: 'Accept', Reason__c: null, Lead__c: leadId }]);
    // the lead's quality rating is the SLA sync's to set, from the feedback (never written from the browser)
    expect(await leadRow(leadId)).toMatchObject({ Status: 'Sales Accepted', Quality_Rating__c: null });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('after an SLA sync the accepted lead’s Accept clock shows Met (it showed On track before)', async () => {
    const leadId = await createMqlLead(env.org.conn, env.org.userId, 'Clockwatch');
    const sync = () => runCli(['sla', 'sync', '--local', '--connection-file', env.org.connectionFile, '--json']);
    const first = await sync();
    expect(first.code).toBe(0);
    const { page, problems } = await openPage(env, env.preview.recordUrl('Lead', leadId));
    const acceptClock = page.locator('c-sla-timer-item').filter({ hasText: 'Accept' });
    await expectVisible(acceptClock.getByText('On track'));

    const card = feedbackCard(page);
    await expectEnabled(card.getByRole('button', { name: 'Accept' }));
    await card.getByText('4, good').click();
    await card.getByRole('button', { name: 'Accept' }).click();
    await expectVisible(card.getByRole('status').filter({ hasText: 'Accepted with rating 4 of 5' }));

    const second = await sync();
    expect(second.code).toBe(0);
    await page.reload();
    await expectVisible(acceptClock.getByText('Met', { exact: true }));
    expect(await acceptClock.innerText()).toMatch(/Took \d+ min of 1 h business time/);
    await screenshot(page, 'lead-accept-clock-met');
    const timers = await env.org.conn.query<{ Status__c: string }>(
      `SELECT Status__c FROM SLA_Timer__c WHERE Lead__c = '${leadId}' AND Clock__c = 'Accept'`
    );
    expect(timers.records.map((t) => t.Status__c)).toEqual(['Met']);
    expect(await leadRow(leadId)).toMatchObject({ Status: 'Sales Accepted', Quality_Rating__c: 4 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a Reject without a reason shows the inline error, keeps the rep on the form and saves nothing', async () => {
    const leadId = await createMqlLead(env.org.conn, env.org.userId, 'Rejectless');
    const { page, problems } = await openPage(env, env.preview.recordUrl('Lead', leadId));
    const writes: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/ui-api/') && r.method() !== 'GET') writes.push(`${r.method()} ${r.url()}`);
    });
    const card = feedbackCard(page);
    await expectEnabled(card.getByRole('button', { name: 'Reject' }));

    await card.getByText('2, weak').click();
    await card.getByRole('button', { name: 'Reject' }).click();

    await expectVisible(card.getByText('Choose a reason to reject this lead.'));
    const reason = card.getByLabel('Reason (required to recycle or reject)');
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await isFocused(reason)).toBe(true);
    expect(await card.getByRole('status').filter({ hasText: 'Rejected with rating' }).count()).toBe(0);
    await screenshot(page, 'lead-reject-without-reason');
    expect(writes).toEqual([]);
    expect(await feedbackOf(leadId)).toEqual([]);
    expect(await leadRow(leadId)).toMatchObject({ Status: 'Marketing Qualified', Quality_Rating__c: null });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('files a win/loss review on a closed-lost opportunity and shows its summary', async () => {
    const oppId = await createClosedLostOpportunity(env.org.conn, env.org.userId, 'Preview Lost Deal');
    const { page, problems } = await openPage(env, env.preview.recordUrl('Opportunity', oppId));
    const card = page.locator('c-win-loss-review');
    const submit = card.getByRole('button', { name: 'Submit review' });
    await expectEnabled(submit);

    await card.getByLabel('Primary reason').selectOption('Price');
    await card.getByRole('group', { name: 'Secondary reasons' }).getByText('Competitor', { exact: true }).click();
    await card.getByLabel('Competitor (leave blank if unknown)').fill('Acme Analytics');
    await submit.click();

    await expectVisible(card.getByText(`Submitted by ${env.rep.name}`));
    await expectVisible(card.getByText('Acme Analytics'));
    await screenshot(page, 'opportunity-review-filed');
    const reviews = await env.org.conn.query<Record<string, unknown>>(
      `SELECT Outcome__c, Primary_Reason__c, Secondary_Reasons__c, Competitor__c, Marketing_Influence__c, OwnerId FROM Win_Loss_Review__c WHERE Opportunity__c = '${oppId}'`
    );
    expect(reviews.records.map(({ attributes: _a, ...r }) => r)).toEqual([
      {
        OwnerId: env.rep.userId,
        Outcome__c: 'Lost',
        Primary_Reason__c: 'Price',
        Secondary_Reasons__c: 'Competitor',
        Competitor__c: 'Acme Analytics',
        Marketing_Influence__c: 'Unknown'
      }
    ]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

async function expectEnabled(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
  await locator.page().waitForFunction((el) => el instanceof HTMLButtonElement && !el.disabled, await locator.elementHandle());
}
