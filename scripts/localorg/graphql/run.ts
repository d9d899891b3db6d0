import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { MAX_GRAPHQL_CHARACTERS, MAX_GRAPHQL_NESTING, MAX_GRAPHQL_TOKENS } from '../bounds';
import { ApiError } from '../errors';
import { QueryTimeout } from '../store';
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
  const tooBig = documentTooBig(req.query);
  if (tooBig) return failed([errorEntry(new Invalid(tooBig, undefined, 'InvalidSyntax'))]);
  let doc: DocumentNode;
  try {
    doc = parse(req.query, { maxTokens: MAX_GRAPHQL_TOKENS });
  } catch (e) {
    if (e instanceof GraphQLError) {
      // graphql-java's words for a document over its token limit (ParseCancelled.full)
      const message = /contains more th\w+ \d+ tokens/.test(e.message)
        ? `More than ${MAX_GRAPHQL_TOKENS} 'grammar' tokens have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.`
        : e.message;
      return failed([{ message, locations: [...(e.locations ?? [])], extensions: { ErrorType: 'InvalidSyntax' } }]);
    }
    if (e instanceof RangeError) {
      // the nesting pre-check missed a document too deep for the parser's recursion
      return failed([errorEntry(new Invalid('The document nests too deeply to be parsed', undefined, 'InvalidSyntax'))]);
    }
    throw e;
  }
  const variables = req.variables && typeof req.variables === 'object' ? (req.variables as Record<string, unknown>) : {};
  const planner = new Planner(doc, env, variables);
  let root: OutputPlan[];
  try {
    planner.checkFragmentCycles();
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
    if (e instanceof QueryTimeout) {
      return failed([{ message: `QUERY_TIMEOUT: ${e.message}`, locations: [], extensions: { ErrorType: 'ExecutionAborted' } }]);
    }
    throw e;
  }
  return { data, errors: [] };
}

/**
 * Why a document is refused before it is parsed, or undefined: over graphql-java's character limit,
 * or nested deeper than the local org parses (graphql-js parses recursively). One pass over the
 * text, skipping strings, block strings and comments.
 */
function documentTooBig(query: string): string | undefined {
  if (query.length > MAX_GRAPHQL_CHARACTERS) {
    return `More than ${MAX_GRAPHQL_CHARACTERS} characters have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.`;
  }
  let depth = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query.charAt(i);
    if (c === '#') {
      while (i < query.length && query.charAt(i) !== '\n' && query.charAt(i) !== '\r') i++;
    } else if (c === '"') {
      if (query.startsWith('"""', i)) {
        const end = query.indexOf('"""', i + 3);
        i = end < 0 ? query.length : end + 2;
      } else {
        for (i++; i < query.length && query.charAt(i) !== '"' && query.charAt(i) !== '\n'; i++) if (query.charAt(i) === '\\') i++;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      if (++depth > MAX_GRAPHQL_NESTING) {
        return `More than ${MAX_GRAPHQL_NESTING} nested '{', '[' or '(' have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.`;
      }
    } else if (c === '}' || c === ']' || c === ')') depth--;
  }
  return undefined;
}

function failed(errors: GraphqlErrorEntry[]): GraphqlResponse {
  return { data: null, errors };
}
