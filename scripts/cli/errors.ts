/**
 * Errors the CLI reports as one line and a non-zero exit code.
 *
 * Parts below the CLI (calendar, sla, localorg client code, reports, org) throw their own typed
 * errors; anything that is an Error with a message is printed as `closed-loop: <message>`.
 * Use CliError for problems with what the user typed (flags, files), with an optional hint.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly hint?: string,
    /** With --json, printed as `result` beside status/name/message (e.g. the findings behind the failure). */
    readonly data?: unknown
  ) {
    super(message);
  }
}

/** First line of an error's message, so every failure prints as one line. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? text;
  return first.trim();
}
