/**
 * Reduces one or more Lightning Data Service / UI API errors to a flat list of
 * human-readable messages (same contract as lwc-recipes' c/ldsUtils reduceErrors).
 * Handles: UI API read errors (body is an array), page and field errors (body.pageErrors,
 * body.fieldErrors), UI API DML errors (body.output.errors / body.output.fieldErrors),
 * body.message, plain JS errors and, last, the HTTP status text.
 * @param {Object|Object[]} errors
 * @returns {string[]} messages, never empty strings
 */
export function reduceErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  return list
    .filter((error) => !!error)
    .flatMap((error) => messagesOf(error))
    .filter((message) => typeof message === 'string' && message.length > 0);
}

function fieldMessages(fieldErrors) {
  return Object.values(fieldErrors).flatMap((entries) => entries.map((e) => e.message));
}

function messagesOf(error) {
  const body = error.body;
  if (Array.isArray(body)) {
    return body.map((e) => e.message);
  }
  if (body?.pageErrors?.length) {
    return body.pageErrors.map((e) => e.message);
  }
  if (body?.fieldErrors && Object.keys(body.fieldErrors).length) {
    return fieldMessages(body.fieldErrors);
  }
  if (body?.output?.errors?.length) {
    return body.output.errors.map((e) => e.message);
  }
  if (body?.output?.fieldErrors && Object.keys(body.output.fieldErrors).length) {
    return fieldMessages(body.output.fieldErrors);
  }
  if (typeof body?.message === 'string') {
    return [body.message];
  }
  if (typeof error.message === 'string') {
    return [error.message];
  }
  return [error.statusText];
}
