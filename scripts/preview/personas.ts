import { localSession } from '../org/localToken';
import { OrgClient, PreviewServerError, type OrgEndpoint, type UserInfo } from './orgClient';

/**
 * Who the preview runs as. On a local org the header offers the personas — a rep by default, marketing, a
 * manager, the admin — and the server talks to the org with a token of the one chosen, minted by the admin
 * (scripts/org/localToken.ts), so the components meet the object permissions, field-level security and
 * sharing that person meets in an org. A real org runs as the user sf is logged in as, with no menu.
 */
export interface PreviewUsers {
  /** The header menu's choices, in order: what `connect` takes and what the menu shows. */
  choices: ReadonlyArray<{ value: string; label: string }>;
  /** The org as that user: a persona (`rep`) or a username. Rejects with a message saying what is missing. */
  connect(choice: string): Promise<OrgEndpoint>;
}

/** The local org's personas, as the header offers them: the rep first (the person the record pages are for). */
export const PERSONA_CHOICES: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'rep', label: 'Rep' },
  { value: 'marketing', label: 'Marketing' },
  { value: 'manager', label: 'Manager' },
  { value: 'admin', label: 'Admin' }
];

/** A local org's users for the preview: `rep` is the first active user with Closed_Loop_Rep, and so on. */
export function localOrgUsers(admin: OrgEndpoint): PreviewUsers {
  return {
    choices: PERSONA_CHOICES,
    async connect(choice) {
      const { instanceUrl, accessToken, apiVersion } = (await localSession(admin, choice)).info;
      return { instanceUrl, accessToken, apiVersion };
    }
  };
}

/** The org as `choice` (a choice of `users` or a username), and who that is. */
export async function viewAs(
  users: PreviewUsers,
  choice: string
): Promise<{ org: OrgClient; user: UserInfo; as: string; notice: undefined }> {
  const org = new OrgClient(await users.connect(choice));
  return { org, user: await org.userInfo(), as: choice, notice: undefined };
}

/**
 * Whom the preview starts as: `as` (default: the first choice, a rep) when `users` are given — else `fallbackAs`,
 * with a notice saying why, when there is one — or `org`'s own user.
 */
export async function startingUser(options: {
  org: OrgEndpoint;
  users?: PreviewUsers;
  as?: string;
  fallbackAs?: string;
}): Promise<{ org: OrgClient; user: UserInfo; as?: string; notice?: string }> {
  const { users } = options;
  const as = options.as ?? users?.choices[0]?.value;
  if (!users || !as) {
    const org = new OrgClient(options.org);
    return { org, user: await org.userInfo() };
  }
  try {
    return await viewAs(users, as);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (!options.fallbackAs) throw new PreviewServerError(`cannot preview as ${as}: ${why}`);
    return { ...(await viewAs(users, options.fallbackAs)), notice: `${why}; previewing as ${options.fallbackAs}` };
  }
}

export const PERSONA_CSS = `.preview-persona { gap: 0.25rem; padding: 0.125rem 0.5rem; }
.preview-persona .slds-form-element__label { margin: 0; }
`;

/**
 * The header's right end: who the pages run as (`name`), after the "View as" menu when there are users to
 * switch between — a plain form (POST /persona), so it works before and without any script — and the notice
 * of a fallback. `here` is the page to come back to.
 */
export function viewingAsHtml(
  site: { users?: PreviewUsers; as?: string; notice?: string },
  name: string,
  here: string,
  escapeHtml: (s: unknown) => string
): string {
  const { users, as: current, notice } = site;
  let menu = '';
  if (users && current) {
    const choices = users.choices.some((c) => c.value === current) ? users.choices : [...users.choices, { value: current, label: current }];
    const options = choices
      .map((c) => `<option value="${escapeHtml(c.value)}"${c.value === current ? ' selected' : ''}>${escapeHtml(c.label)}</option>`)
      .join('');
    menu = `<form method="post" action="/persona" class="preview-persona slds-grid slds-grid_vertical-align-center">
<label class="slds-form-element__label" for="preview-as">View as</label>
<div class="slds-select_container"><select class="slds-select" id="preview-as" name="as">${options}</select></div>
<input type="hidden" name="return" value="${escapeHtml(here)}">
<button class="slds-button slds-button_neutral" type="submit">Switch</button>
</form>`;
  }
  const why = notice
    ? `<p class="slds-text-body_small slds-text-color_error slds-var-p-right_small" role="status">${escapeHtml(notice)}</p>`
    : '';
  return `<div class="slds-col_bump-left slds-grid slds-grid_vertical-align-center">${why}${menu}<p class="slds-text-body_small slds-var-p-right_small preview-user">${escapeHtml(name)}</p></div>`;
}

/** At most this long: a choice is a persona or a username (80 characters in an org). */
const MAX_CHOICE = 80;
const MAX_RETURN = 2000;

/**
 * What a "View as" form posted: one of the menu's choices (or the user the preview runs as now), and the page
 * to go back to — a path of this server only, never another site (else `/`). Undefined when the choice is not
 * one the menu offers.
 */
export function readSwitch(body: string, users: PreviewUsers, current: string): { as: string; back: string } | undefined {
  const form = new URLSearchParams(body.slice(0, MAX_CHOICE + MAX_RETURN + 100));
  const as = (form.get('as') ?? '').slice(0, MAX_CHOICE + 1);
  if (!users.choices.some((c) => c.value === as) && as !== current) return undefined;
  return { as, back: samePath(form.get('return') ?? '/') };
}

/** A path and query of this server (`/lead/00Q…`), or `/` for anything else (`//evil.example`, `https://…`). */
function samePath(value: string): string {
  if (value.length > MAX_RETURN || !value.startsWith('/')) return '/';
  const base = 'http://preview.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  return url.origin === base ? `${url.pathname}${url.search}` : '/';
}
