import type { FieldSchema, ObjectSchema, Schema } from '../schema';
import type { QueryEngine } from '../soql/queryEngine';

/** What a GraphQL request runs against: the org's schema and SOQL engine, the API version, the clock and the running user's zone. */
export interface GraphqlEnv {
  schema: Schema;
  queries: QueryEngine;
  version: string;
  now: Date;
  tz: string;
}

/** The most records a connection returns per request (`first`); 10 when `first` is not given. */
export const MAX_FIRST = 2000;
export const DEFAULT_FIRST = 10;

/** The GraphQL value type of each field type (`StringValue`, `PicklistValue`, …). */
export const VALUE_TYPES: Record<string, string> = {
  id: 'IDValue',
  reference: 'IDValue',
  string: 'StringValue',
  textarea: 'TextAreaValue',
  email: 'EmailValue',
  phone: 'PhoneNumberValue',
  url: 'UrlValue',
  picklist: 'PicklistValue',
  multipicklist: 'MultiPicklistValue',
  combobox: 'PicklistValue',
  boolean: 'BooleanValue',
  int: 'IntValue',
  double: 'DoubleValue',
  currency: 'CurrencyValue',
  percent: 'PercentValue',
  date: 'DateValue',
  datetime: 'DateTimeValue',
  time: 'TimeValue',
  anyType: 'StringValue'
};

/**
 * The plan of a query, made while validating it: what each output key holds, and for each object
 * connection the SOQL query that fetches it.
 */

export type ValueItem = { key: string; kind: 'value' | 'displayValue' | 'typename' };

export type NodeItem =
  | { key: string; kind: 'Id' | 'typename' | 'ApiName' | 'DisplayValue' }
  | { key: string; kind: 'field'; field: FieldSchema; sub: ValueItem[] }
  | { key: string; kind: 'parent'; relationship: string; polymorphic: boolean; byType: Map<string, NodePlan>; common: NodePlan };

export interface NodePlan {
  obj?: ObjectSchema;
  items: NodeItem[];
}

export type ConnectionItem =
  | { key: string; kind: 'totalCount' | 'pageResultCount' | 'typename' }
  | {
      key: string;
      kind: 'edges';
      items: Array<{ key: string; kind: 'cursor' | 'typename' } | { key: string; kind: 'node'; plan: NodePlan }>;
    }
  | { key: string; kind: 'pageInfo'; items: Array<{ key: string; kind: string }> };

export interface ConnectionPlan {
  key: string;
  obj: ObjectSchema;
  soql: string;
  first: number;
  offset: number;
  items: ConnectionItem[];
}

export type OutputPlan =
  | { key: string; kind: 'typename'; value: string }
  | { key: string; kind: 'object'; items: OutputPlan[] }
  | { key: string; kind: 'connection'; plan: ConnectionPlan };
