import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection } from 'jsforce';
import type { Page } from 'playwright-core';
import { startTestOrg, type TestOrg } from '../../scripts/localorg/testing';
import { findUser, type OrgUser } from '../../scripts/org/personas';
import { localOrgUsers, startPreview, type Preview } from '../../scripts/preview';
import { launchChromium, type Chromium } from '../../scripts/preview/browser';
import { runSeed, seedNow } from '../../scripts/seed';

/**
 * One browser-test environment: an in-memory local org with the small deterministic demo data set
 * (seed 42, 40 leads), the preview served from the cached build on a free port as a rep of the demo data
 * (a token of theirs: Closed_Loop_Rep's permissions, as in an org), and Debian's Chromium in the rep's time zone.
 * Tests add the records they act on (as marketing automation or a rep would, over the API) so what they
 * assert does not depend on the demo data's proportions.
 */
export const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
export const SEED = { seed: 42, leads: 40 };

export interface PreviewEnv {
  org: TestOrg;
  /** The rep the preview runs as (the first demo user with Closed_Loop_Rep). */
  rep: OrgUser;
  preview: Preview;
  browser: Chromium;
  close(): Promise<void>;
}

export async function startPreviewEnv(): Promise<PreviewEnv> {
  const org = await startTestOrg();
  const opened: Array<() => Promise<void>> = [() => org.close()];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close();
  };
  try {
    await runSeed(org.conn, { mode: 'local', seed: SEED.seed, leads: SEED.leads, now: seedNow() });
    const admin = { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: '64.0' };
    const preview = await startPreview({ org: admin, port: 0, users: localOrgUsers(admin), as: 'rep' });
    opened.push(() => preview.close());
    const rep = await findUser(org.conn, 'rep');
    const user = await org.conn.query<{ TimeZoneSidKey: string }>(`SELECT TimeZoneSidKey FROM User WHERE Id = '${rep.userId}'`);
    const browser = await launchChromium({ timezoneId: user.records[0]?.TimeZoneSidKey });
    opened.push(() => browser.close());
    // as a person does: open the printed URL once; its token becomes this browser's cookie
    const first = await browser.context.newPage();
    await first.goto(preview.openUrl);
    await first.close();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    return { org, rep, preview, browser, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

/** A new page (at `viewport`'s size, else the browser's) that fails the test on any script error or console error in the preview. */
export async function openPage(
  env: PreviewEnv,
  url: string,
  viewport?: { width: number; height: number }
): Promise<{ page: Page; problems: string[] }> {
  const page = await env.browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A lead that marketing just handed to sales: created New, then moved to Marketing Qualified (history recorded). */
export async function createMqlLead(conn: Connection, ownerId: string, lastName: string): Promise<string> {
  const created = await conn.sobject('Lead').create({
    FirstName: 'Preview',
    LastName: lastName,
    Company: `${lastName} Industries`,
    LeadSource: 'Webinar',
    Status: 'New',
    OwnerId: ownerId
  });
  if (!created.success) throw new Error(`lead not created: ${JSON.stringify(created)}`);
  await conn.sobject('Lead').update({ Id: created.id, Status: 'Marketing Qualified', MQL_At__c: new Date().toISOString() });
  return created.id;
}

/** An opportunity the rep just lost (its stage history recorded by the org). */
export async function createClosedLostOpportunity(conn: Connection, ownerId: string, name: string): Promise<string> {
  const close = new Date().toISOString().slice(0, 10);
  const created = await conn
    .sobject('Opportunity')
    .create({ Name: name, StageName: 'Negotiation/Review', CloseDate: close, Amount: 42000, OwnerId: ownerId });
  if (!created.success) throw new Error(`opportunity not created: ${JSON.stringify(created)}`);
  await conn.sobject('Opportunity').update({ Id: created.id, StageName: 'Closed Lost' });
  return created.id;
}

/** Whether the element is the one with keyboard focus (native `:focus`, which synthetic shadow leaves alone). */
export function isFocused(locator: { evaluate<R>(fn: (el: Element) => R): Promise<R> }): Promise<boolean> {
  return locator.evaluate((el) => el.matches(':focus'));
}
