import { actionsRoute } from './actions';
import { compositeRoute } from './composite';
import { connectRoute } from './connect';
import { graphqlRoute } from './graphql';
import { jobsRoute } from './jobs';
import { limitsRoute } from './limits';
import { metadataRoute } from './metadata';
import { queryRoute } from './query';
import type { Route } from './route';
import { sobjectsRoute } from './sobjects';
import { uiApiRoute } from './uiapi';

/**
 * The REST areas under `/services/data/vXX.X/`, by their first path segment, in the order the
 * resource listing (`GET /services/data/vXX.X`) names them. A new area is one route module and one
 * line here: it is then routed and listed.
 */
export const AREAS: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['limits', limitsRoute],
  ['sobjects', sobjectsRoute],
  ['query', queryRoute(false)],
  ['queryAll', queryRoute(true)],
  ['composite', compositeRoute],
  ['ui-api', uiApiRoute],
  ['graphql', graphqlRoute],
  ['metadata', metadataRoute],
  ['jobs', jobsRoute],
  ['actions', actionsRoute],
  ['connect', connectRoute]
]);

/** The resource listing of an API version: each area's URL. */
export function resources(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  return Object.fromEntries([...AREAS.keys()].map((area) => [area, `${base}/${area}`]));
}
