import { PERSONA_PERMISSION_SETS, type Persona } from '../org/personas';
import type { RecordSet } from './records';
import type { SeedRandom } from './random';
import { DAY, iso } from './time';

/** A sales rep and how they work: multipliers on how long they take to accept and to first touch a lead. */
export interface Rep {
  key: string;
  name: string;
  team: 'East' | 'West';
  acceptPace: number;
  touchPace: number;
}

export interface People {
  mops: string;
  managers: string[];
  reps: Rep[];
  mqlQueue: string;
  nurtureQueue: string;
  /** Display names by key, for the name rows of owner history. */
  names: Map<string, string>;
}

export const MQL_QUEUE = { name: 'MQL Queue', developerName: 'MQL_Queue' };
export const NURTURE_QUEUE = { name: 'Nurture Queue', developerName: 'Nurture_Queue' };
/** The profile every seeded user gets (looked up in the org by name). */
export const USER_PROFILE = 'Standard User';
/** Seeded users' usernames and e-mails end with this domain (org seeds may add a suffix to make usernames globally unique). */
export const USER_DOMAIN = 'closedloop-demo.example';

/** From fast and disciplined to slow: the spread that makes SLA compliance differ by rep. */
const PACES: Array<[number, number]> = [
  [0.45, 0.5],
  [0.6, 0.8],
  [0.75, 0.7],
  [0.9, 1.0],
  [1.0, 1.2],
  [1.2, 1.0],
  [1.6, 1.5],
  [2.2, 2.0]
];

/**
 * Two sales managers with four reps each, a marketing-operations user (the default owner of new
 * leads and of the routing), each with their persona's permission set (Closed_Loop_Manager,
 * Closed_Loop_Rep, Closed_Loop_Marketing), and the two lead queues.
 */
export function buildPeople(r: SeedRandom, out: RecordSet, nowMs: number): People {
  const names = new Map<string, string>();
  const usedUsernames = new Set<string>();
  const createdAt = iso(nowMs - 400 * DAY);

  const user = (id: string, persona: Persona, title: string, department: string, timeZone: string, managerKey?: string): string => {
    const first = r.faker.person.firstName();
    const last = r.faker.person.lastName();
    let base = `${ascii(first)}.${ascii(last)}`;
    while (usedUsernames.has(base)) base += r.int(0, 9);
    usedUsernames.add(base);
    const username = `${base}@${USER_DOMAIN}`;
    const rec = out.add(
      'User',
      id,
      {
        Username: username,
        FirstName: first,
        LastName: last,
        Email: username,
        Alias: (ascii(first).slice(0, 1) + ascii(last)).slice(0, 8),
        Title: title,
        Department: department,
        CompanyName: 'Closed Loop Demo',
        IsActive: true,
        TimeZoneSidKey: timeZone,
        LocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        Phone: r.faker.phone.number({ style: 'national' }),
        CreatedDate: createdAt
      },
      { ManagerId: managerKey, ProfileId: `Profile:${USER_PROFILE}` }
    );
    names.set(rec.key, `${first} ${last}`);
    // the persona's permission set, as an admin assigns it (PermissionSet refs are resolved by Name)
    const set = PERSONA_PERMISSION_SETS[persona];
    out.add('PermissionSetAssignment', `${id}-${set}`, {}, { AssigneeId: rec.key, PermissionSetId: `PermissionSet:${set}` });
    return rec.key;
  };

  const managers = [
    user('mgr-east', 'manager', 'Sales Manager, East', 'Sales', 'America/New_York'),
    user('mgr-west', 'manager', 'Sales Manager, West', 'Sales', 'America/Los_Angeles')
  ];
  const paces = r.sample(PACES, PACES.length);
  const reps: Rep[] = [];
  for (let i = 0; i < 8; i++) {
    const team = i < 4 ? 'East' : 'West';
    const key = user(
      `rep-${String(i + 1).padStart(2, '0')}`,
      'rep',
      'Account Executive',
      'Sales',
      team === 'East' ? 'America/New_York' : 'America/Chicago',
      managers[i < 4 ? 0 : 1]
    );
    reps.push({ key, name: names.get(key)!, team, acceptPace: paces[i][0], touchPace: paces[i][1] });
  }
  const mops = user('mops', 'marketing', 'Marketing Operations Manager', 'Marketing', 'America/New_York');

  const queue = (q: { name: string; developerName: string }): string => {
    const rec = out.add(
      'Group',
      q.developerName,
      { Name: q.name, DeveloperName: q.developerName, Type: 'Queue', CreatedDate: createdAt },
      { CreatedById: mops }
    );
    names.set(rec.key, q.name);
    return rec.key;
  };
  const mqlQueue = queue(MQL_QUEUE);
  const nurtureQueue = queue(NURTURE_QUEUE);
  for (const rep of reps) {
    out.add('GroupMember', `${MQL_QUEUE.developerName}-${rep.key.slice(5)}`, {}, { GroupId: mqlQueue, UserOrGroupId: rep.key });
  }
  out.add('GroupMember', `${NURTURE_QUEUE.developerName}-mops`, {}, { GroupId: nurtureQueue, UserOrGroupId: mops });

  return { mops, managers, reps, mqlQueue, nurtureQueue, names };
}

/** Lower-case ASCII letters only (for usernames, aliases and e-mail local parts). */
export function ascii(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}
