import * as path from 'node:path';
import { PROJECT_ROOT } from '../project';
import { sfJson, SfRunner, spawnSf } from './sf';

/** The scratch org definition the project ships (Developer edition, Lightning on). */
export const SCRATCH_DEF_FILE = path.join(PROJECT_ROOT, 'config', 'project-scratch-def.json');
export const DEFAULT_SCRATCH_ALIAS = 'closed-loop';
export const DEFAULT_DURATION_DAYS = 7;
/** Minutes sf waits for the Dev Hub to finish the signup (sf's own default is 5; Developer orgs often need more). */
export const DEFAULT_CREATE_WAIT_MINUTES = 10;

export interface CreateScratchOptions {
  alias: string;
  durationDays: number;
  /** Dev Hub alias/username; sf's default Dev Hub (target-dev-hub) when undefined. */
  devHub?: string;
  definitionFile: string;
  /** Make the new org the project's default target org (writes .sf/config.json, as sf does). */
  setDefault: boolean;
  waitMinutes: number;
}

/** What `sf org create scratch --json` returns (sf 2.150; the access token is redacted). */
export interface SfScratchCreateResult {
  username: string;
  orgId?: string;
  scratchOrgInfo?: { Id?: string; SignupUsername?: string; LoginUrl?: string; ExpirationDate?: string; OrgName?: string; Edition?: string };
  authFields?: { instanceUrl?: string; loginUrl?: string; expirationDate?: string; devHubUsername?: string; orgId?: string };
  warnings?: string[];
}

export interface ScratchOrg {
  alias: string;
  username: string;
  orgId?: string;
  instanceUrl?: string;
  devHub?: string;
  expirationDate?: string;
  isDefault: boolean;
}

/** The sf command line for `closed-loop org create`. */
export function createScratchArgs(opts: CreateScratchOptions): string[] {
  return [
    'org',
    'create',
    'scratch',
    '--definition-file',
    opts.definitionFile,
    '--alias',
    opts.alias,
    '--duration-days',
    String(opts.durationDays),
    '--wait',
    String(opts.waitMinutes),
    ...(opts.devHub ? ['--target-dev-hub', opts.devHub] : []),
    ...(opts.setDefault ? ['--set-default'] : [])
  ];
}

/**
 * Creates a scratch org from the project's definition. Runs only `sf org create scratch`: when sf
 * fails before the signup (no Dev Hub, unknown alias), nothing is written anywhere.
 */
export async function createScratchOrg(opts: CreateScratchOptions, runner: SfRunner = spawnSf): Promise<ScratchOrg> {
  const r = await sfJson<SfScratchCreateResult>(createScratchArgs(opts), runner);
  return {
    alias: opts.alias,
    username: r.username,
    orgId: r.orgId ?? r.authFields?.orgId,
    instanceUrl: r.authFields?.instanceUrl,
    devHub: r.authFields?.devHubUsername,
    expirationDate: r.authFields?.expirationDate ?? r.scratchOrgInfo?.ExpirationDate,
    isDefault: opts.setDefault
  };
}
