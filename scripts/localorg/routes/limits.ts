import type { Route } from './route';

/** `/limits`: the org's limits, all at their maximum (the local org counts none of them). */
export const limitsRoute: Route = {
  transaction: true,
  handle() {
    return { status: 200, body: limits() };
  }
};

function limits() {
  const l = (max: number, remaining = max) => ({ Max: max, Remaining: remaining });
  return {
    DailyApiRequests: l(5000000),
    DailyBulkV2QueryJobs: l(10000),
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
