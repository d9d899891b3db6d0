import { InvalidArgumentError, type Command } from 'commander';
import type { Connection } from 'jsforce';
import type { RecordUrl } from '../reports/qualityReasons';
import { lazy } from './lazy';

const reasons = lazy(() => require('../reports/qualityReasons') as typeof import('../reports/qualityReasons'));

/** The port `npm start` serves the preview on when it is free (a stable URL to bookmark and to link to). */
export const START_PREVIEW_PORT = 5180;
export const DEFAULT_PREVIEW_URL = `http://127.0.0.1:${START_PREVIEW_PORT}`;

/** `--preview-url`: where links to records point on the local org. */
export function addPreviewUrlFlag(cmd: Command): Command {
  return cmd.option(
    '--preview-url <url>',
    `Where lead links point on the local org: the browser preview npm start serves (another port when ${START_PREVIEW_PORT} was taken).`,
    urlFlag,
    DEFAULT_PREVIEW_URL
  );
}

function urlFlag(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`--preview-url must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError(`--preview-url must be an http(s) URL, got "${value}"`);
  return url.toString().replace(/\/+$/, '');
}

/**
 * Record links as the reader can open them: on a real org its Lightning record page
 * (`/lightning/r/Lead/<Id>/view`), on the local org the preview's record page.
 */
export function recordUrlFor(conn: Connection, flags: { targetOrg?: string; previewUrl?: string }): RecordUrl {
  const { lightningRecordUrl, previewRecordUrl } = reasons();
  return flags.targetOrg ? lightningRecordUrl(conn.instanceUrl) : previewRecordUrl(flags.previewUrl ?? DEFAULT_PREVIEW_URL);
}
