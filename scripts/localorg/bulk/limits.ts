/**
 * Bulk API 2.0's documented limits, each with where it comes from. docs/local-org.md lists them for
 * users.
 *
 * Ingest: "Maximum number of records uploaded per rolling 24-hour period: 150,000,000", "Maximum file
 * size: 150 MB", "Maximum number of characters in a field: 32,000", "Maximum number of fields in a
 * record: 5,000", "Maximum number of characters in a record: 400,000"; query: "The maximum number of
 * query jobs per 24-hour rolling window: 10,000"; both: "Jobs that are older than 7 days are deleted
 * if they are in a terminal state" (Bulk API 2.0 Developer Guide, "Limits and Allocations":
 * https://developer.salesforce.com/docs/atlas.en-us.228.0.api_bulk_v2.meta/api_bulk_v2/bulk_api_2_limits.htm).
 */

/**
 * "A request can provide CSV data that does not in total exceed 150 MB of base64 encoded content.
 * When job data is uploaded, it is converted to base64 … upload data that does not exceed 100 MB"
 * (Upload Job Data: https://developer.salesforce.com/docs/platform/api-asynch/guide/upload-job-data.html):
 * an upload is refused when its base64 form would pass 150 MB, i.e. above 117,964,800 raw bytes.
 */
export const MAX_UPLOAD_BASE64_BYTES = 150 * 1024 * 1024;
export const MAX_UPLOAD_BYTES = Math.floor(MAX_UPLOAD_BASE64_BYTES / 4) * 3;

/** The most records ingest jobs may process in a rolling 24 hours; past it a job fails with the rest unprocessed. */
export const MAX_RECORDS_PER_DAY = 150_000_000;
/** Characters in one field value, fields in one record, characters in one record, and in the header row ("The header row can have up to 32,000 characters", Prepare CSV Files). */
export const MAX_FIELD_CHARS = 32_000;
export const MAX_FIELDS_PER_RECORD = 5_000;
export const MAX_RECORD_CHARS = 400_000;
export const MAX_HEADER_CHARS = 32_000;

/** Query jobs per rolling 24 hours (the `/limits` resource reports it as DailyBulkV2QueryJobs). */
export const MAX_QUERY_JOBS_PER_DAY = 10_000;

/** How long a finished job (and its results) is kept. */
export const JOB_LIFESPAN_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * "Salesforce creates a separate batch for every 10,000 records in your job data" (Understanding
 * Bulk API 2.0 Ingest): the local org saves a job's records 10,000 at a time, one transaction each,
 * and lets other requests run between them.
 */
export const RECORDS_PER_BATCH = 10_000;

/**
 * Query results: without `maxRecords` "the server uses a default value based on the service" (Get
 * Results for a Query Job); the local org's default page is 50,000 records.
 */
export const DEFAULT_RESULT_PAGE = 50_000;

/** The most jobs one `GET /jobs/ingest` or `/jobs/query` page lists (`nextRecordsUrl` for the rest). */
export const JOBS_PER_LIST_PAGE = 1_000;
