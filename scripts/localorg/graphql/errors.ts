import type { ASTNode } from 'graphql';

/** The `extensions.ErrorType` of a GraphQL error entry, as Salesforce's endpoint names them. */
export type ErrorType = 'InvalidSyntax' | 'ValidationError' | 'OperationNotSupported' | 'DataFetchingException';

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

/** An error entry of the answer, located at the node when there is one. */
export function errorEntry(e: Invalid): GraphqlErrorEntry {
  const loc = e.node?.loc;
  return {
    message: e.message,
    locations: loc ? [{ line: loc.startToken.line, column: loc.startToken.column }] : [],
    extensions: { ErrorType: e.errorType }
  };
}
