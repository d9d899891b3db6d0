import { Access, FullAccess } from '../records/access';
import type { Schema } from '../schema';
import type { Store } from '../store';
import { UserAccess } from './access';
import { loadGrants } from './grants';
import { loadPermissionSets, PermissionSetDef, syncPermissionSetRows } from './permissionSets';

/** The most users whose access is kept at once (a local org has a handful; the bound keeps a flood of tokens harmless). */
const MAX_CACHED_USERS = 1000;

/**
 * The local org's permission model: the deployed permission sets, and each user's access computed
 * from their profile and PermissionSetAssignment rows — once per user, then reused until a deploy
 * replaces the schema or a write touches a User, PermissionSet or PermissionSetAssignment
 * (`securityEpoch`). Users with Modify All Data get full access, as the admin token always does.
 */
export class Permissions {
  private sets: Map<string, PermissionSetDef>;
  private readonly cache = new Map<string, { schema: Schema; epoch: number; access: Access | undefined }>();
  private full?: FullAccess;

  constructor(
    private readonly store: Store,
    private readonly schema: () => Schema,
    private readonly epoch: () => number
  ) {
    this.sets = loadPermissionSets(store);
  }

  /** Full access on the current schema (the admin token). */
  fullAccess(): FullAccess {
    const schema = this.schema();
    if (this.full?.schema !== schema) this.full = new FullAccess(schema);
    return this.full;
  }

  /** A user's access, or undefined when the user does not exist or is inactive (their sessions end). */
  accessFor(userId: string): Access | undefined {
    const schema = this.schema();
    const epoch = this.epoch();
    const hit = this.cache.get(userId);
    if (hit && hit.schema === schema && hit.epoch === epoch) return hit.access;
    const grants = loadGrants(this.store, schema, this.sets, userId);
    let access: Access | undefined;
    if (grants?.active) access = grants.modifyAllData ? this.fullAccess() : new UserAccess(this.store, schema, grants);
    if (this.cache.size >= MAX_CACHED_USERS) this.cache.clear();
    this.cache.set(userId, { schema, epoch, access });
    return access;
  }

  /** After a deploy: re-reads the permission sets and brings the PermissionSet rows in line (inside the caller's transaction). */
  reload(userId: string, now: Date): void {
    this.sets = loadPermissionSets(this.store);
    this.cache.clear();
    syncPermissionSetRows(this.store, this.schema(), this.sets, userId, now);
  }
}
