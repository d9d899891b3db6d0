/**
 * Every bound of the local org in one place, each with where it comes from. A request over a bound
 * gets the error a real org gives (or, where the org documents no error, the nearest one it has) —
 * never a crash, a hang or a 500. docs/local-org.md ("Limits and known differences") lists them for
 * users.
 */

/**
 * The URI and its headers. "In each REST call, the maximum length for the combined URI and headers
 * is 16,384 bytes. A request exceeding this limit returns a 431 Request Header Fields Too Large
 * error. If the URI itself exceeds this limit, the request returns a 414 URI Too Long error."
 * (Salesforce Help, "Maximum number of rows returned by SOQL queries over the REST API",
 * https://help.salesforce.com/s/articleView?id=000386264)
 */
export const MAX_URI_AND_HEADERS_BYTES = 16_384;

/**
 * What Node's HTTP parser accepts before the local org sees a request (its default is 16 KB, over
 * which it answers a bare 431): above the real limit, so the local org answers 414/431 itself with
 * a JSON body; past this, the parser's refusal is answered with a JSON 431 too (http/clientErrors.ts).
 */
export const NODE_MAX_HEADER_BYTES = 64 * 1024;

/**
 * A JSON request body: "You can insert or update blob data using a non-multipart message, but you
 * are limited to 50 MB of text data" (REST API Developer Guide, "Insert or Update Blob Data",
 * https://developer.salesforce.com/docs/platform/api-rest/guide/dome-sobject-insert-update-blob.html).
 * A route may take more or less (`Route.maxBodyBytes`); over its limit the answer is 413.
 */
export const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024;

/**
 * A metadata deploy's zip: "The maximum size of the deployed .zip file is 39 MB" (Metadata API
 * Developer Guide, "Metadata Limits").
 */
export const MAX_DEPLOY_BODY_BYTES = 39 * 1024 * 1024;

/**
 * How deep JSON may nest: Salesforce parses JSON with Jackson, whose StreamReadConstraints allow a
 * nesting depth of 1,000 (jackson-core 2.15+, `StreamReadConstraints.DEFAULT_MAX_DEPTH`).
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * SOQL: "By default, SOQL statements can't exceed 100,000 characters … the API returns a
 * MALFORMED_QUERY exception code" and "Strings in WHERE clauses can't exceed 4,000 characters"
 * (SOQL and SOSL Reference, "SOQL and SOSL Limits for Search Queries" and "WHERE").
 */
export const MAX_SOQL_LENGTH = 100_000;
export const MAX_SOQL_STRING_LENGTH = 4_000;

/**
 * SOQL relationships: "No more than 55 child-to-parent relationships can be specified in a query",
 * "No more than five levels can be specified in a child-to-parent relationship", "No more than 20
 * parent-to-child relationships can be specified in a query" (SOQL and SOSL Reference,
 * "Understanding Relationship Query Limitations").
 */
export const MAX_PARENT_RELATIONSHIPS = 55;
export const MAX_PARENT_LEVELS = 5;
export const MAX_CHILD_SUBQUERIES = 20;

/**
 * How deep a WHERE clause may nest parentheses, and how many values a query may bind. The org
 * documents no number for either; it refuses statements its engine cannot run with
 * QUERY_TOO_COMPLICATED ("Long, complex SOQL statements … can result in a QUERY_TOO_COMPLICATED
 * error", same limits page). The local org's engine, SQLite, stops at an expression depth of 1,000
 * and 32,766 bound values: these bounds keep every accepted query under both (a child subquery
 * binds up to 2,000 parent ids besides its own values).
 */
export const MAX_WHERE_NESTING = 100;
export const MAX_QUERY_VALUES = 30_000;

/**
 * GraphQL documents, as graphql-java (the engine of the UI API GraphQL endpoint) parses them by
 * default: at most 1,048,576 characters and 15,000 tokens (graphql-java `ParserOptions`); past either
 * it cancels parsing "to prevent Denial Of Service attacks". The local org also refuses documents
 * nested more than 100 brackets deep before parsing them (graphql-java bounds the parser's rule
 * depth at 500 instead).
 */
export const MAX_GRAPHQL_CHARACTERS = 1_048_576;
export const MAX_GRAPHQL_TOKENS = 15_000;
export const MAX_GRAPHQL_NESTING = 100;

/**
 * GraphQL queries: "Each GraphQL query can contain up to 10 subqueries", "Each subquery can return
 * up to 2000 records" (GraphQL API Developer Guide, "GraphQL API Query Limitations"); aliases of an
 * object query count as subqueries. The local org also bounds the field selections a document
 * expands to (fragments included) and the values one answer may hold (rows × fields over all
 * subqueries), so no request builds an answer it cannot send.
 */
export const MAX_GRAPHQL_SUBQUERIES = 10;
export const MAX_GRAPHQL_SELECTIONS = 5_000;
export const MAX_GRAPHQL_ANSWER_VALUES = 200_000;

/**
 * The time one request may spend running queries before it is stopped with 400 QUERY_TIMEOUT ("Your
 * query request was running for too long.", a real org's answer to a query that runs too long). A
 * real org gives a query 120 seconds; the local org serves every client from one thread, so it
 * defaults to 10 seconds (`closed-loop localorg start --query-timeout <seconds>`).
 */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/**
 * API requests per rolling 24 hours. A real org's allocation depends on its edition and licenses
 * ("Total API Request Allocations", Salesforce Developer Limits and Allocations Quick Reference,
 * https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html);
 * the local org allows 5,000,000. Every REST call but the Versions URI (`/services/data`) counts, its
 * answer carries `Sforce-Limit-Info: api-usage=<used>/<allocation>` ("This response header is returned
 * in each request to REST API (except for calls to the Versions URI, /, which do not count towards
 * your org's limit)", REST API Developer Guide, "Limit Info Header"), `/limits` reports it as
 * `DailyApiRequests`, and once it is used up calls are refused with 403 REQUEST_LIMIT_EXCEEDED
 * "TotalRequests Limit exceeded." until the past 24 hours' count drops below it.
 */
export const DEFAULT_DAILY_API_REQUESTS = 5_000_000;
