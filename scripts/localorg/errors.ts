/** One Salesforce error, as in REST error bodies and save results. */
export interface SfError {
  message: string;
  errorCode: string;
  fields: string[];
}

/**
 * An error answered with an HTTP status and a Salesforce error body
 * (`[{"message","errorCode","fields"}]`), or, inside collections, one record's failure.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /**
   * For one record of an upsert: the record matched none and was being created when it failed (an
   * upsert result says `created: true` then, as for a record saved: see routes/composite.ts).
   */
  upsertCreating = false;
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = []
  ) {
    super(message);
  }

  toBody(): SfError[] {
    return [{ message: this.message, errorCode: this.errorCode, fields: this.fields }];
  }
}

export const notFound = () => new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidType = (name: string) =>
  new ApiError(
    400,
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
  );

export const malformedQuery = (message: string) => new ApiError(400, 'MALFORMED_QUERY', message);

/** A 400 with a Salesforce error code (one record's validation failure in DML). */
export const badRequest = (errorCode: string, message: string, fields: string[] = []) => new ApiError(400, errorCode, message, fields);

export const methodNotAllowed = (method: string) =>
  new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,PATCH,POST,DELETE,HEAD`);
