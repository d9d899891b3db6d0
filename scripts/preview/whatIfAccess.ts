import * as fs from 'node:fs';
import * as path from 'node:path';
import { asArray, readXml, rootOf, text, type XmlNode } from '../metadata/xml';
import { soql } from '../org/data';
import { PACKAGE_DIR } from '../project';
import type { OrgClient } from './orgClient';

/**
 * Who the app navigation offers the SLA What-if page to. The page replays every lead and opportunity and shows
 * every rep's compliance, so it is for the users who may read every SLA timer: View All on SLA_Timer__c in a
 * permission set of theirs (the package gives it to Closed_Loop_Manager and Closed_Loop_Marketing — both sides
 * sign the SLA — not to Closed_Loop_Rep, who reads their own timers only), or View All Data (an admin). A rep
 * is not offered it: a read-only page would still show the other reps' figures. See docs/sla-whatif.md.
 */

export const WHATIF_OBJECT = 'SLA_Timer__c';

const PERMISSION_SET_DIR = path.join(PACKAGE_DIR, 'main', 'default', 'permissionsets');

/** The package's permission sets (by Name) that grant View All on `object`, read from their metadata. */
export function setsViewingAll(object = WHATIF_OBJECT, dir = PERMISSION_SET_DIR): Set<string> {
  const names = new Set<string>();
  if (!fs.existsSync(dir)) return names;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.permissionset-meta.xml'))) {
    const { node } = rootOf(readXml(path.join(dir, file)));
    const grants = asArray<XmlNode>(node.objectPermissions).some(
      (op) => text(op.object) === object && (text(op.viewAllRecords) === 'true' || text(op.modifyAllRecords) === 'true')
    );
    if (grants) names.add(path.basename(file, '.permissionset-meta.xml'));
  }
  return names;
}

let packageSets: Set<string> | undefined;

/**
 * Whether `userId` may open the What-if page: a permission set of theirs (read through the org as that user:
 * the PermissionSetAssignment rows any user may read; in an org a profile's own permissions are such a row
 * too) grants View All on SLA timers or View All Data. `admin` (the connection the preview and the reports
 * server were started with) always may. Anything the org refuses counts as no.
 */
export async function mayOpenWhatIf(org: OrgClient, userId: string, as?: string): Promise<boolean> {
  if (as === 'admin') return true;
  packageSets ??= setsViewingAll();
  try {
    const rows = await org.query<{
      PermissionSet?: { Name?: string; PermissionsViewAllData?: boolean; PermissionsModifyAllData?: boolean };
    }>(
      soql`SELECT PermissionSet.Name, PermissionSet.PermissionsViewAllData, PermissionSet.PermissionsModifyAllData FROM PermissionSetAssignment WHERE AssigneeId = ${userId}`
    );
    const sets = packageSets;
    return rows.some(
      (r) =>
        r.PermissionSet?.PermissionsViewAllData === true ||
        r.PermissionSet?.PermissionsModifyAllData === true ||
        sets.has(r.PermissionSet?.Name ?? '')
    );
  } catch {
    return false;
  }
}
