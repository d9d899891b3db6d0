import type { Access } from '../records/access';
import type { Row } from '../records/dmlContext';
import type { FieldSchema, ObjectSchema, RecordVisibility, Schema } from '../schema';
import { quote, Store } from '../store';
import { NO_OBJECT_ACCESS, ObjectPermissions } from './permissionSets';
import type { UserGrants } from './grants';
import { userSchema } from './userSchema';

/** How deep ControlledByParent chains are followed (master-detail is at most three levels deep in an org). */
const MAX_MASTER_DEPTH = 3;

/**
 * A user without Modify All Data: object permissions and field-level security from their grants
 * (the user's view of the schema), and record sharing from the custom objects' org-wide defaults
 * (`sharingModel` in the object metadata):
 *
 * - **Private**: a record is visible to its owner (or a member of the owning queue) and to View All /
 *   View All Data holders; only the owner and Modify All holders edit or delete it.
 * - **Read** (Public Read Only): everyone with Read sees every record; only the owner and Modify All
 *   holders edit or delete it.
 * - **ReadWrite** (Public Read/Write, and every standard object here): everyone with Edit edits; only
 *   the owner and Modify All holders delete ("Full Access").
 * - **ControlledByParent**: a detail record follows its master: visible when the master is, editable
 *   and deletable when the master is editable.
 *
 * The role hierarchy, sharing rules, manual shares and teams are not modelled (docs/local-org.md).
 */
export class UserAccess implements Access, RecordVisibility {
  readonly all = false;
  readonly schema: Schema;
  readonly editsConvertedLeads: boolean;

  constructor(
    private readonly store: Store,
    private readonly full: Schema,
    readonly grants: UserGrants
  ) {
    this.schema = userSchema(full, grants, this);
    this.editsConvertedLeads = grants.viewEditConvertedLeads;
  }

  hasUserPermission(name: string): boolean {
    return this.grants.userPermissions.has(name);
  }

  get userId(): string {
    return this.grants.userId;
  }

  private perms(obj: ObjectSchema): ObjectPermissions {
    return this.grants.objects.get(obj.name.toLowerCase()) ?? NO_OBJECT_ACCESS;
  }

  mayObject(obj: ObjectSchema, op: 'create' | 'edit' | 'delete'): boolean {
    const p = this.perms(obj);
    return op === 'create' ? p.create : op === 'edit' ? p.edit : p.delete;
  }

  field(obj: ObjectSchema, f: FieldSchema): FieldSchema | undefined {
    return this.schema.get(obj.name)?.byName.get(f.name.toLowerCase());
  }

  seesAll(obj: ObjectSchema): boolean {
    const p = this.perms(obj);
    return p.read && (p.viewAll || (obj.sharingModel !== 'Private' && obj.sharingModel !== 'ControlledByParent'));
  }

  canRead(obj: ObjectSchema, row: Row, depth = 0): boolean {
    const p = this.perms(obj);
    if (!p.read) return false;
    if (p.viewAll) return true;
    switch (obj.sharingModel) {
      case 'Private':
        return this.owns(row);
      case 'ControlledByParent': {
        const master = this.master(obj, row);
        return master !== undefined && depth < MAX_MASTER_DEPTH && this.canRead(master.obj, master.row, depth + 1);
      }
      default:
        return true;
    }
  }

  canEdit(obj: ObjectSchema, row: Row, depth = 0): boolean {
    const p = this.perms(obj);
    if (p.modifyAll) return true;
    if (!this.canRead(obj, row)) return false;
    switch (obj.sharingModel) {
      case 'Private':
      case 'Read':
        return this.owns(row);
      case 'ControlledByParent': {
        const master = this.master(obj, row);
        return master !== undefined && depth < MAX_MASTER_DEPTH && this.canEdit(master.obj, master.row, depth + 1);
      }
      default:
        return true;
    }
  }

  canDelete(obj: ObjectSchema, row: Row): boolean {
    if (this.perms(obj).modifyAll) return true;
    if (!this.canEdit(obj, row)) return false;
    if (obj.sharingModel === 'ControlledByParent') return true;
    return obj.hasOwner ? this.owns(row) : true;
  }

  /** The SOQL read filter of an object (RecordVisibility): owner or queue member for Private, the master's filter for ControlledByParent. */
  readFilter(obj: ObjectSchema, alias: string, depth = 0): { sql: string; params: string[] } | undefined {
    const p = this.perms(obj);
    if (p.viewAll) return undefined;
    if (obj.sharingModel === 'Private') {
      return {
        sql: `(${alias}."OwnerId" = ? OR ${alias}."OwnerId" IN (SELECT gm."GroupId" FROM "GroupMember" gm WHERE gm."UserOrGroupId" = ?))`,
        params: [this.userId, this.userId]
      };
    }
    if (obj.sharingModel === 'ControlledByParent') {
      const md = masterField(obj);
      const master = md && this.full.get(md.referenceTo[0]);
      if (!md || !master || depth >= MAX_MASTER_DEPTH) return { sql: '0', params: [] };
      const m = `${alias}m`;
      const inner = this.readFilter(master, m, depth + 1);
      if (!inner) return undefined;
      return {
        sql: `${alias}.${quote(md.name)} IN (SELECT ${m}."Id" FROM ${quote(master.name)} ${m} WHERE ${inner.sql})`,
        params: inner.params
      };
    }
    return undefined;
  }

  /** The record's owner is this user, or a queue (or public group) this user belongs to. */
  private owns(row: Row): boolean {
    const owner = row.OwnerId;
    if (owner === this.userId) return true;
    if (typeof owner !== 'string' || !owner.startsWith('00G')) return false;
    return (
      this.store.get('SELECT 1 AS x FROM "GroupMember" WHERE "GroupId" = ? AND "UserOrGroupId" = ?', [owner, this.userId]) !== undefined
    );
  }

  private master(obj: ObjectSchema, row: Row): { obj: ObjectSchema; row: Row } | undefined {
    const md = masterField(obj);
    const id = md ? row[md.name] : undefined;
    const master = md && this.full.get(md.referenceTo[0]);
    if (typeof id !== 'string' || !master) return undefined;
    const masterRow = this.store.get(`SELECT * FROM ${quote(master.name)} WHERE "Id" = ?`, [id]);
    return masterRow ? { obj: master, row: masterRow } : undefined;
  }
}

function masterField(obj: ObjectSchema): FieldSchema | undefined {
  return obj.fields.find((f) => f.masterDetail);
}
