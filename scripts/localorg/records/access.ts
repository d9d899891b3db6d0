import type { FieldSchema, ObjectSchema, Schema } from '../schema';
import type { SqlValue } from '../store';

/** A stored record, by field API name. */
type Row = Record<string, SqlValue>;

/**
 * What the running user may do, as the record rules ask it: object permissions, field-level
 * security and record sharing. The local org computes it per user from the profile and the
 * assigned permission sets (permissions/); the records layer turns a "no" into the real org's error.
 * With `all` (Modify All Data: the System Administrator profile, and always the admin token) every
 * check passes and nothing is filtered, so the admin path costs one boolean test.
 */
export interface Access {
  /** Modify All Data: system mode, every object, field and record. */
  readonly all: boolean;
  /** The org's schema as this user sees it: readable objects and fields, createable/updateable for this user (`all`: the org's schema). */
  readonly schema: Schema;
  /** The object permission (`create`, `edit` or `delete`) on an object of the org's schema. */
  mayObject(obj: ObjectSchema, op: 'create' | 'edit' | 'delete'): boolean;
  /** A field of the org's schema as this user sees it (createable/updateable by field-level security and object permissions), or undefined when the user cannot read it. */
  field(obj: ObjectSchema, f: FieldSchema): FieldSchema | undefined;
  /** Whether the user reads every record of an object they can read (View All, or an object whose records are all shared): no record needs looking at. */
  seesAll(obj: ObjectSchema): boolean;
  /** Record sharing: may the user read, edit, delete this stored record. */
  canRead(obj: ObjectSchema, row: Row): boolean;
  canEdit(obj: ObjectSchema, row: Row): boolean;
  canDelete(obj: ObjectSchema, row: Row): boolean;
  /** "View and Edit Converted Leads" (or View All Data): may update a converted lead. */
  readonly editsConvertedLeads: boolean;
  /** A user permission (`SendCustomNotifications`, …) granted by the profile or a permission set (Modify All Data: every one). */
  hasUserPermission(name: string): boolean;
}

/** Full access (system mode): the admin token, and users with Modify All Data. */
export class FullAccess implements Access {
  readonly all = true;
  readonly editsConvertedLeads = true;

  hasUserPermission(): boolean {
    return true;
  }
  constructor(readonly schema: Schema) {}
  mayObject(): boolean {
    return true;
  }
  field(_obj: ObjectSchema, f: FieldSchema): FieldSchema {
    return f;
  }
  seesAll(): boolean {
    return true;
  }
  canRead(): boolean {
    return true;
  }
  canEdit(): boolean {
    return true;
  }
  canDelete(): boolean {
    return true;
  }
}
