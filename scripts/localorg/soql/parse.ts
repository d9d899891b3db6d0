import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { Query } from '@jetstreamapp/soql-parser-js';
import { MAX_SOQL_LENGTH } from '../bounds';
import { invalidType, malformedQuery } from '../errors';
import type { ObjectSchema } from '../schema';
import type { QueryEnv } from './plan';

/** Parses a SOQL string (@jetstreamapp/soql-parser-js); a syntax error is a MALFORMED_QUERY quoting the query. */
export function parseSoql(soql: string): Query {
  // "SOQL statements can't exceed 100,000 characters … the API returns a MALFORMED_QUERY exception
  // code" (SOQL and SOSL Reference, SOQL and SOSL Limits for Search Queries)
  if (soql.length > MAX_SOQL_LENGTH) {
    throw malformedQuery(`SOQL statements cannot be longer than ${MAX_SOQL_LENGTH} characters (this one has ${soql.length})`);
  }
  try {
    return parseQuery(soql);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw malformedQuery(`${soql.length > 200 ? soql.slice(0, 200) + '...' : soql}\nunexpected token: ${msg}`);
  }
}

/** Refuses the clauses the local org does not implement, naming them (a subquery also may not use OFFSET). */
export function rejectUnsupported(q: Query, nested = false): void {
  const any = q as Query & Record<string, unknown>;
  if (any.for) throw malformedQuery(`FOR ${String(any.for)} is not supported by the local org`);
  if (any.withSecurityEnforced) throw malformedQuery('WITH SECURITY_ENFORCED is not supported by the local org');
  if (any.withAccessLevel) throw malformedQuery('WITH USER_MODE/SYSTEM_MODE is not supported by the local org');
  if (any.withDataCategory) throw malformedQuery('WITH DATA CATEGORY is not supported by the local org');
  if (any.usingScope) throw malformedQuery('USING SCOPE is not supported by the local org');
  if (any.update) throw malformedQuery('UPDATE TRACKING/VIEWSTAT is not supported by the local org');
  if (nested && any.offset !== undefined) throw malformedQuery('OFFSET in a subquery is not supported by the local org');
}

/**
 * The FROM object, or INVALID_TYPE. Against a user's view of the schema an object they cannot read
 * is not there, so it is INVALID_TYPE "sObject type 'X' is not supported" as in an org, where an
 * object without Read is left out of what the user's API calls can see ("Factors that Affect Data
 * Access", https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/obj_ref_data_access.htm).
 */
export function objectOf(env: QueryEnv, name: string | undefined): ObjectSchema {
  if (!name) throw malformedQuery('missing FROM object');
  const obj = env.schema.get(name);
  if (!obj) throw invalidType(name);
  return obj;
}
