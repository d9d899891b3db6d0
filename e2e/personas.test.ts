import type { Locator, Page } from 'playwright-core';
import { createClosedLostOpportunity, createMqlLead, openPage, screenshot, startPreviewEnv, type PreviewEnv } from './support/previewEnv';

/**
 * The preview runs as its personas: a rep by default, with the rep's token, so the record pages meet what a
 * rep meets in an org — the fields the SLA sync computes read-only, their own win/loss review theirs to edit —
 * and the header's "View as" menu switches to marketing, a manager or the admin.
 */
let env: PreviewEnv;

beforeAll(async () => {
  env = await startPreviewEnv();
}, 240_000);

afterAll(async () => {
  await env?.close();
});

// the preview runs as one user for all its tabs: each test starts as the rep, whatever the one before chose
beforeEach(async () => {
  const res = await fetch(`${env.preview.url}/persona`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.preview.access.token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'as=rep',
    redirect: 'manual'
  });
  expect(res.status).toBe(303);
});

/** Switches user in the header's "View as" menu; the same page loads again as that user. */
async function viewAs(page: Page, label: string): Promise<void> {
  await page.getByLabel('View as').selectOption({ label });
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Switch' }).click()]);
  await expectVisible(page.getByRole('combobox', { name: 'View as' }));
  expect(await page.locator('#preview-as option:checked').innerText()).toBe(label);
}

describe('the preview as its personas', () => {
  it('shows a rep the fields the SLA sync computes as read-only, and the lead’s own fields without a lock', async () => {
    const leadId = await createMqlLead(env.org.conn, env.rep.userId, 'Readonly');
    const { page, problems } = await openPage(env, env.preview.recordUrl('Lead', leadId));
    page.setDefaultTimeout(15_000);
    await expectVisible(page.getByRole('combobox', { name: 'View as' }));
    expect(await page.getByLabel('View as').inputValue()).toBe('rep');
    await expectVisible(page.locator('.preview-user').getByText(env.rep.name, { exact: true }));

    await page.getByRole('tab', { name: 'Details' }).click();
    const locked = page.locator('[data-readonly]');
    await expectVisible(locked.first());
    const readOnly = await locked.evaluateAll((els) => els.map((e) => e.getAttribute('data-readonly')));
    expect(readOnly).toEqual(
      expect.arrayContaining(['Quality_Rating__c', 'Recycle_Count__c', 'MQL_At__c', 'Accepted_At__c', 'SLA_Status__c'])
    );
    expect(readOnly).not.toContain('Needs_Dedupe__c');
    expect(readOnly).not.toContain('Email');
    expect(readOnly).not.toContain('Status');
    // a screen reader hears it with the label
    expect(await page.getByRole('term').filter({ hasText: 'SLA Status' }).innerText()).toMatch(/^SLA Status\s*Read only$/);
    await screenshot(page, 'lead-details-as-rep');

    // the admin edits everything: no lock on the same page
    await viewAs(page, 'Admin');
    await page.getByRole('tab', { name: 'Details' }).click();
    await expectVisible(page.locator('dd[data-field="Lead.SLA_Status__c"]'));
    expect(await page.locator('[data-readonly="SLA_Status__c"]').count()).toBe(0);
    await viewAs(page, 'Rep');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a rep edits their own win/loss review; a manager reads it and cannot edit it', async () => {
    const oppId = await createClosedLostOpportunity(env.org.conn, env.rep.userId, 'Persona Lost Deal');
    const { page, problems } = await openPage(env, env.preview.recordUrl('Opportunity', oppId));
    page.setDefaultTimeout(15_000);
    const card = page.locator('c-win-loss-review');
    await expectEnabled(card.getByRole('button', { name: 'Submit review' }));
    await card.getByLabel('Primary reason').selectOption('Price');
    await card.getByRole('button', { name: 'Submit review' }).click();
    await expectVisible(card.getByText(`Submitted by ${env.rep.name}`));

    await card.getByRole('button', { name: 'Edit' }).click();
    await card.getByLabel('Competitor (leave blank if unknown)').fill('Globex');
    await card.getByRole('button', { name: 'Save review' }).click();
    await expectVisible(card.getByText('Globex'));
    const saved = await env.org.conn.query<{ Competitor__c: string; OwnerId: string; LastModifiedById: string }>(
      `SELECT Competitor__c, OwnerId, LastModifiedById FROM Win_Loss_Review__c WHERE Opportunity__c = '${oppId}'`
    );
    expect(saved.records.map(({ Competitor__c, OwnerId, LastModifiedById }) => ({ Competitor__c, OwnerId, LastModifiedById }))).toEqual([
      { Competitor__c: 'Globex', OwnerId: env.rep.userId, LastModifiedById: env.rep.userId }
    ]);

    await viewAs(page, 'Manager');
    const manager = await env.org.conn.query<{ Name: string }>(
      "SELECT Assignee.Name FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Closed_Loop_Manager' ORDER BY Assignee.Username LIMIT 1"
    );
    const managerName = (manager.records[0] as unknown as { Assignee: { Name: string } }).Assignee.Name;
    await expectVisible(page.locator('.preview-user').getByText(managerName, { exact: true }));
    await expectVisible(card.getByText('Globex'));
    await expectVisible(card.getByText(`Submitted by ${env.rep.name}`));
    expect(await card.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await screenshot(page, 'opportunity-review-as-manager');

    await viewAs(page, 'Rep');
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
