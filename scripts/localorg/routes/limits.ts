import { MAX_QUERY_JOBS_PER_DAY } from '../bulk/limits';
import type { OrgContext } from '../context';
import type { Route } from './route';

/**
 * `/limits`: the org's limits. The local org counts its API requests over the past 24 hours
 * (DailyApiRequests, this call included) and its Bulk API 2.0 query jobs; every other limit is at its maximum.
 */
export const limitsRoute: Route = {
  transaction: true,
  handle(org) {
    return { status: 200, body: limits(org) };
  }
};

function limits(org: OrgContext) {
  const l = (max: number, remaining = max) => ({ Max: max, Remaining: remaining });
  return {
    DailyApiRequests: l(org.apiUsage.max, Math.max(0, org.apiUsage.max - org.apiUsage.used())),
    DailyBulkV2QueryJobs: l(MAX_QUERY_JOBS_PER_DAY, Math.max(0, MAX_QUERY_JOBS_PER_DAY - org.bulk.queryJobsToday())),
    DailyBulkV2QueryFileStorageMB: l(976562),
    DataStorageMB: l(1024 * 1024),
    FileStorageMB: l(1024 * 1024),
    HourlyODataCallout: l(10000),
    MassEmail: l(5000),
    SingleEmail: l(5000),
    ConcurrentAsyncGetReportInstances: l(200),
    ConcurrentSyncReportRuns: l(20)
  };
}
