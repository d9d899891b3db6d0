import type { Connection } from 'jsforce';
import { OrgData, soql } from '../org/data';
import { ReportMetadataError } from './errors';

const TIME_ZONES = new WeakMap<Connection, Promise<string>>();

/** The running user's time zone (User.TimeZoneSidKey), which the org resolves date filters in. */
export function userTimeZone(conn: Connection): Promise<string> {
  let p = TIME_ZONES.get(conn);
  if (!p) {
    p = (async () => {
      const id = await conn.identity();
      const [user] = await new OrgData(conn).all<{ TimeZoneSidKey: string }>(
        soql`SELECT TimeZoneSidKey FROM User WHERE Id = ${String(id.user_id)}`
      );
      const tz = user?.TimeZoneSidKey;
      if (!tz) throw new ReportMetadataError(`cannot read the running user's time zone (User ${String(id.user_id)})`);
      return tz;
    })();
    TIME_ZONES.set(conn, p);
  }
  return p;
}
