import { GRAPHQL_PATH, LdsWireAdapter, sameId, uiApi, type LdsError, type RecordChange } from './lds';

/**
 * `lightning/graphql` (v2) in the preview: `gql` and the `graphql` wire adapter over the org's UI API GraphQL
 * endpoint (`POST /services/data/vXX.X/graphql`, through the preview server). Emits `{ data, errors, refresh }`
 * as the platform adapter does: `refresh()` runs the query again and resolves once fresh data is delivered
 * (https://developer.salesforce.com/docs/platform/lwc/guide/reference-graphql-refresh.html). As on the
 * platform, a result is emitted again when a record it contains changes (notifyRecordUpdateAvailable, or a
 * save through uiRecordApi), but the query is not re-evaluated for records that now match it: `refresh()` does that.
 */

/** The query text (the platform parses it at build time; the endpoint parses it here). */
export function gql(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((text, s, i) => text + s + (i < values.length ? String(values[i]) : ''), '');
}

interface GraphqlConfig {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

interface GraphqlResponse {
  data?: unknown;
  errors?: Array<{ message: string }>;
}

/** Record Ids in a GraphQL result (every `Id` field, at any depth). */
function idsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => idsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'Id' && typeof v === 'string') out.push(v);
      else idsIn(v, out);
    }
  }
  return out;
}

class GraphqlAdapter extends LdsWireAdapter<GraphqlConfig, GraphqlResponse> {
  private readonly refreshResult = (): Promise<void> => this.refresh();

  protected normalize(c: Record<string, unknown>): GraphqlConfig | undefined {
    if (typeof c.query !== 'string' || !c.query) return undefined;
    return {
      query: c.query,
      ...(c.variables && typeof c.variables === 'object' ? { variables: c.variables as Record<string, unknown> } : {}),
      ...(typeof c.operationName === 'string' ? { operationName: c.operationName } : {})
    };
  }

  protected load(c: GraphqlConfig): Promise<GraphqlResponse> {
    return uiApi<GraphqlResponse>('POST', GRAPHQL_PATH, c);
  }

  protected override emitted(response: GraphqlResponse | undefined, error: LdsError | undefined): object {
    if (error) {
      const body = error.body;
      const errors = Array.isArray(body) ? body : [{ message: `${error.status} ${error.statusText}`.trim() }];
      return { data: undefined, errors, refresh: this.refreshResult };
    }
    return { data: response?.data, errors: response?.errors?.length ? response.errors : undefined, refresh: this.refreshResult };
  }

  /** A record the result shows changed. */
  affectedBy(change: RecordChange): boolean {
    return idsIn(this.current?.data).some((id) => sameId(id, change.id));
  }
}

/** Wire adapter: `@wire(graphql, { query: gql`…`, variables })`. */
export const graphql = GraphqlAdapter;

/** lightning/uiGraphQLApi's (v1, deprecated) way to refresh, kept for components written for it. */
export { refreshWire as refreshGraphQL } from './lds';
