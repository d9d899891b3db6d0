import { makeId } from './ids';
import type { Store } from './store';

/**
 * The rows an org has before anyone uses it, written on the first start of a database: the
 * profiles, the running user "Local Admin" (the user of the access token) and the default
 * BusinessHours (24 hours, every day, America/New_York). Returns the running user's id.
 */
export function createFirstRows(store: Store, clock: Date): string {
  const now = clock.toISOString();
  const profile = (name: string) => {
    const id = makeId('00e', store.nextSeq('id:00e'));
    store.run(
      'INSERT INTO "Profile" ("Id", "IsDeleted", "Name", "UserType", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp") VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)',
      [id, name, 'Standard', now, '', now, '', now]
    );
    return id;
  };
  const adminProfile = profile('System Administrator');
  profile('Standard User');
  const userId = makeId('005', store.nextSeq('id:005'));
  store.run(
    `INSERT INTO "User" ("Id", "IsDeleted", "Username", "LastName", "FirstName", "Name", "Email", "Alias", "CommunityNickname", "IsActive",
      "TimeZoneSidKey", "LocaleSidKey", "EmailEncodingKey", "LanguageLocaleKey", "ProfileId", "UserType", "CreatedDate", "CreatedById",
      "LastModifiedDate", "LastModifiedById", "SystemModstamp") VALUES (?, 0, ?, 'Admin', 'Local', 'Local Admin', ?, 'ladmin', 'ladmin', 1,
      'America/New_York', 'en_US', 'UTF-8', 'en_US', ?, 'Standard', ?, ?, ?, ?, ?)`,
    [userId, 'admin@closed-loop.local', 'admin@closed-loop.local', adminProfile, now, userId, now, userId, now]
  );
  store.run('UPDATE "Profile" SET "CreatedById" = ?, "LastModifiedById" = ?', [userId, userId]);
  const bh = makeId('01m', store.nextSeq('id:01m'));
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  store.run(
    `INSERT INTO "BusinessHours" ("Id", "IsDeleted", "Name", "IsActive", "IsDefault", "TimeZoneSidKey", ${days
      .map((d) => `"${d}StartTime", "${d}EndTime"`)
      .join(', ')}, "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp")
      VALUES (?, 0, 'Default', 1, 1, 'America/New_York', ${days.map(() => "'00:00:00.000Z', '00:00:00.000Z'").join(', ')}, ?, ?, ?, ?, ?)`,
    [bh, now, userId, now, userId, now]
  );
  store.kvSet('runningUserId', userId);
  return userId;
}
