import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { ApiError } from '../errors';
import { errorEntry, GraphqlErrorEntry, Invalid } from './errors';
import { execute } from './execute';
import type { GraphqlEnv, OutputPlan } from './plan';
import { Planner } from './planner';

/**
 * The UI API GraphQL endpoint (`POST /services/data/vXX.X/graphql`), the subset the
 * `lightning/graphql` wire adapter uses for record queries:
 *
 *   query { uiapi { query { Lead(where: {...}, orderBy: {...}, first: 10, after: "…") {
 *     edges { cursor node { Id Name { value displayValue } Owner { ... on User { Name { value } } } } }
 *     pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount pageResultCount } } } }
 *
 * with variables, aliases, fragments, @include/@skip. The document is parsed with graphql-js and each
 * object connection becomes one SOQL query run by the org's SOQL engine (parameterised SQL); cursors
 * are opaque offsets (`base64("v1:<index>")`). Answers are Salesforce's `{data, errors}` with HTTP 200,
 * also for invalid queries: `errors[]` entries with `message`, `locations` and `extensions.ErrorType`
 * (`InvalidSyntax`, `ValidationError`, `OperationNotSupported`); anything outside the subset (mutations,
 * child relationships, `objectInfos`, `aggregate`, `scope`, `upperBound`, …) is a ValidationError naming it.
 *
 * The phases: document.ts reads the document (operation, variables, directives, fragments),
 * planner.ts validates it against the schema into a plan (plan.ts) with filters.ts turning `where`
 * and `orderBy` into SOQL, and execute.ts runs the plan and shapes the answer.
 */

/** The JSON body of a GraphQL request. */
export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** The answer, HTTP 200 also for a refused query: `data` null and the `errors`. */
export interface GraphqlResponse {
  data: Record<string, unknown> | null;
  errors: GraphqlErrorEntry[];
}

/** Parses, validates and plans a request, then runs the plan; bad input is an answer with errors, never a throw. */
export function runGraphql(body: unknown, env: GraphqlEnv): GraphqlResponse {
  const req = (typeof body === 'object' && body !== null ? body : {}) as GraphqlRequest;
  if (typeof req.query !== 'string' || req.query.trim() === '') {
    return failed([
      errorEntry(
        new Invalid('The request has no query (expected a JSON body {query, variables, operationName})', undefined, 'InvalidSyntax')
      )
    ]);
  }
  let doc: DocumentNode;
  try {
    doc = parse(req.query);
  } catch (e) {
    if (e instanceof GraphQLError) {
      return failed([{ message: e.message, locations: [...(e.locations ?? [])], extensions: { ErrorType: 'InvalidSyntax' } }]);
    }
    throw e;
  }
  const variables = req.variables && typeof req.variables === 'object' ? (req.variables as Record<string, unknown>) : {};
  const planner = new Planner(doc, env, variables);
  let root: OutputPlan[];
  try {
    const op = planner.operation(typeof req.operationName === 'string' ? req.operationName : undefined);
    planner.bindVariables(op);
    root = planner.selection(op.selectionSet, 'Query', (f) => planner.rootField(f));
  } catch (e) {
    if (e instanceof Invalid) return failed([errorEntry(e)]);
    throw e;
  }
  if (planner.errors.length > 0) return failed(planner.errors);
  const data: Record<string, unknown> = {};
  try {
    for (const p of root) data[p.key] = execute(p, env);
  } catch (e) {
    if (e instanceof ApiError) return failed([{ message: e.message, locations: [], extensions: { ErrorType: 'DataFetchingException' } }]);
    throw e;
  }
  return { data, errors: [] };
}

function failed(errors: GraphqlErrorEntry[]): GraphqlResponse {
  return { data: null, errors };
}
