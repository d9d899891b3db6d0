import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core, the way the e2e tests and the preview bench use it:
 * headless, no sandbox (containers), no background traffic, a fresh profile folder removed on close.
 * Never a downloaded browser: `apt-get install -y chromium` (.ci/run does it when missing).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];

export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /**
   * The browser's time zone. lightning-base-components format dates in the browser's zone outside
   * Lightning Experience (where Aura's localization service applies the user's): pass the org user's
   * TimeZoneSidKey so the page shows what the user would see in the org.
   */
  timezoneId?: string;
  locale?: string;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Chromium> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new ChromiumMissingError(`no Chromium at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    timezoneId: options.timezoneId,
    locale: options.locale ?? 'en-US'
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
}
