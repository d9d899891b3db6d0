import { GRAPHQL_PATH, LdsWireAdapter, uiApi, type LdsError } from './lds';

/**
 * `lightning/graphql` in the preview: `gql` and the `graphql` wire adapter over the org's UI API GraphQL
 * endpoint (`POST /services/data/vXX.X/graphql`, through the preview server). Emits `{ data, errors }`
 * as the platform adapter does; `refreshGraphQL(result)` fetches again.
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

class GraphqlAdapter extends LdsWireAdapter<GraphqlConfig, GraphqlResponse> {
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
      return { data: undefined, errors };
    }
    return { data: response?.data, errors: response?.errors?.length ? response.errors : undefined };
  }

  affectedBy(): boolean {
    // UI API GraphQL results are not kept in step with record changes (refreshGraphQL does that), as on the platform
    return false;
  }
}

/** Wire adapter: `@wire(graphql, { query: gql`…`, variables })`. */
export const graphql = GraphqlAdapter;

export { refreshWire as refreshGraphQL } from './lds';
