import { targetOrgArgs } from './connection';
import { sfJson, SfRunner, spawnSf } from './sf';

/** The Closed Loop Lightning app (force-app/main/default/applications/Closed_Loop.app-meta.xml). */
export const APP_PATH = '/lightning/app/c__Closed_Loop';

export interface OpenOptions {
  targetOrg?: string;
  /** Path in the org to open, e.g. /lightning/app/c__Closed_Loop or /lightning/setup/DeployStatus/home. */
  path?: string;
  /** Print the login URL instead of opening a browser. */
  urlOnly: boolean;
}

/** What `sf org open --json` returns. */
export interface OpenedOrg {
  orgId: string;
  url: string;
  username: string;
}

export function openArgs(opts: OpenOptions): string[] {
  return [
    'org',
    'open',
    ...targetOrgArgs(opts.targetOrg),
    ...(opts.path ? ['--path', opts.path] : []),
    ...(opts.urlOnly ? ['--url-only'] : [])
  ];
}

/**
 * Opens the org in the browser through sf's front-door login (sf itself starts the browser), or
 * with urlOnly returns that one-time login URL: it logs whoever has it in, so treat it as a secret.
 */
export function openOrg(opts: OpenOptions, runner: SfRunner = spawnSf): Promise<OpenedOrg> {
  return sfJson<OpenedOrg>(openArgs(opts), runner);
}
