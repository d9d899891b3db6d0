/** No shipped report has the name the user gave. */
export class ReportNotFoundError extends Error {
  override readonly name = 'ReportNotFoundError';
}

/** A shipped report (or its report type) uses something the runner cannot compute faithfully. */
export class ReportMetadataError extends Error {
  override readonly name = 'ReportMetadataError';
}

/** A `--period` the runner does not understand. */
export class ReportPeriodError extends Error {
  override readonly name = 'ReportPeriodError';
}

/** An Alignment Commitment whose report figure cannot be read. */
export class ScorecardError extends Error {
  override readonly name = 'ScorecardError';
}
