/**
 * What to do next when an sf command fails: sf's own message says what went wrong, this says how an
 * admin fixes it, in terms of the sf commands they already know — written `npx sf …`, the project's own
 * sf CLI, so each runs as printed in a clone where no sf is installed globally (scripts/cli/__tests__/
 * advice.test.ts parses every one against sf's command and flag list). Matching is on sf's error name
 * first (stable across releases), then on its message for errors sf passes through unnamed
 * (jsforce/HTTP errors such as an expired session or a Dev Hub limit).
 */

/** The sf error we map: the `name` and `message` of sf's --json failure output. */
export interface SfFailure {
  name?: string;
  message: string;
}

export interface HintContext {
  /** The alias or username the command targeted (--target-org), if any. */
  targetOrg?: string;
  /** The Dev Hub the command used (--target-dev-hub), if any. */
  devHub?: string;
  /** The command talked to the local org (--local). */
  local?: boolean;
}

export const DEV_HUB_LOGIN = 'npx sf org login web --set-default-dev-hub --alias DevHub';

/** A one-line hint for a failed sf command, or undefined when we have nothing better than sf's message. */
export function hintFor(err: SfFailure, ctx: HintContext = {}): string | undefined {
  const name = err.name ?? '';
  const msg = err.message;
  const alias = ctx.targetOrg ?? '<alias>';

  if (name === 'NoDefaultDevHubError') {
    return `no Dev Hub authorized: run ${DEV_HUB_LOGIN}, or pass --target-dev-hub <alias>`;
  }
  if (name === 'NamedOrgNotFoundError' && /--target-dev-hub/.test(msg)) {
    const hub = ctx.devHub ?? 'DevHub';
    return `no Dev Hub authorized as ${hub}: run npx sf org login web --set-default-dev-hub --alias ${hub}`;
  }
  if (/enabled as a Dev Hub/i.test(msg) || name === 'hubOrgIsNotDevHub') {
    return `turn on Dev Hub in that org (Setup > Dev Hub > Enable), then log in to it again: ${DEV_HUB_LOGIN}`;
  }
  if (name === 'NoDefaultEnvError') {
    return 'pass --target-org <alias>, or run npx sf org login web --alias <alias> --set-default (npx sf org list shows the orgs you are logged in to)';
  }
  if (name === 'NamedOrgNotFoundError') {
    return `run npx sf org login web --alias ${alias}, or pass --target-org with an alias from npx sf org list`;
  }
  if (/scratch org (signup )?limit/i.test(msg) || (name === 'LIMIT_EXCEEDED' && /scratch|signup/i.test(msg))) {
    return /daily/i.test(msg)
      ? 'the Dev Hub reached its daily scratch org signup limit: try again tomorrow, or use another Dev Hub'
      : 'the Dev Hub reached its active scratch org limit: delete one you no longer need with npx sf org delete scratch --target-org <alias> (npx sf org list shows yours)';
  }
  if (
    /refresh token|expired access\/refresh token|INVALID_SESSION_ID|Session expired or invalid|invalid_grant/i.test(`${name} ${msg}`) ||
    name === 'RefreshTokenAuthError'
  ) {
    return `the org's login session expired: log in again with npx sf org login web --alias ${alias}`;
  }
  if (/does not appear to exist|has been deleted|ScratchOrgDeletedError|orgDataNotAvailable/i.test(`${name} ${msg}`)) {
    return `the org is gone (scratch orgs expire): run npx closed-loop org create, or forget it with npx sf org logout --target-org ${alias}`;
  }
  if (/Permission set ".*" not found in target org/.test(msg)) {
    return `deploy the package first: npx closed-loop org deploy --target-org ${alias}`;
  }
  if (name === 'ScratchOrgInfoTimeoutError' || /did not complete within your wait time/i.test(msg)) {
    return 'the scratch org is still being created: run npx sf org resume scratch --use-most-recent, then npx closed-loop org deploy';
  }
  if (ctx.local && /fetch failed|ECONNREFUSED|socket hang up/i.test(msg)) {
    return 'the local org does not answer at the URL in its connection file: start it with npm start (or npx closed-loop localorg start)';
  }
  if (/fetch failed|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|getaddrinfo|socket hang up/i.test(msg)) {
    return 'check your network connection (and HTTPS_PROXY if you are behind a proxy), then try again';
  }
  return undefined;
}
