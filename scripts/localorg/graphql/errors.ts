import type { ASTNode } from 'graphql';

/** The `extensions.ErrorType` of a GraphQL error entry, as Salesforce's endpoint names them. */
export type ErrorType = 'InvalidSyntax' | 'ValidationError' | 'OperationNotSupported' | 'DataFetchingException' | 'ExecutionAborted';

export interface GraphqlErrorEntry {
  message: string;
  locations: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions: { ErrorType: ErrorType };
}

/** A query the endpoint refuses, at the document node it is about (a ValidationError unless said). */
export class Invalid extends Error {
  constructor(
    message: string,
    readonly node?: ASTNode,
    readonly errorType: ErrorType = 'ValidationError'
  ) {
    super(message);
  }
}

/**
 * A request over one of the endpoint's bounds (bounds.ts): planning stops at once, not collecting
 * further errors. ErrorType ExecutionAborted, as graphql-java classifies the refusals of its query
 * limits (AbortExecutionException).
 */
export class Aborted extends Invalid {
  constructor(message: string, node?: ASTNode) {
    super(message, node, 'ExecutionAborted');
  }
}

/** An error entry of the answer, located at the node when there is one. */
export function errorEntry(e: Invalid): GraphqlErrorEntry {
  const loc = e.node?.loc;
  return {
    message: e.message,
    locations: loc ? [{ line: loc.startToken.line, column: loc.startToken.column }] : [],
    extensions: { ErrorType: e.errorType }
  };
}
