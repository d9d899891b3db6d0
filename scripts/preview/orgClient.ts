import { Connection } from 'jsforce';
import { OrgData } from '../org/data';
import type { Soql } from '../org/data';

/**
 * The preview server's client of the org: over HTTP with the bearer token, the calls its own pages need (the
 * running user, record lists, describes); the same calls work against a real org. Record lists are read
 * through the org data layer (scripts/org/data), like every other read of records.
 */

export interface OrgEndpoint {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
}

export class PreviewServerError extends Error {
  override readonly name = 'PreviewServerError';
}

export interface UserInfo {
  user_id: string;
  name?: string;
  zoneinfo?: string;
  locale?: string;
  organization_id?: string;
}

export interface DescribeField {
  name: string;
  type: string;
  relationshipName: string | null;
  label: string;
}

export class OrgClient {
  private readonly describes = new Map<string, Promise<DescribeField[]>>();
  private prefixes: Promise<Map<string, string>> | undefined;

  constructor(readonly org: OrgEndpoint) {}

  get base(): string {
    return this.org.instanceUrl.replace(/\/+$/, '');
  }

  async json<T>(pathAndQuery: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${this.org.accessToken}`, accept: 'application/json' }
      });
    } catch (e) {
      throw new PreviewServerError(`the org at ${this.base} did not answer: ${e instanceof Error ? e.message : String(e)}`);
    }
    const text = await res.text();
    if (!res.ok) throw new PreviewServerError(`${pathAndQuery.split('?')[0]} answered ${res.status}: ${errorMessage(text)}`);
    return JSON.parse(text) as T;
  }

  userInfo(): Promise<UserInfo> {
    return this.json<UserInfo>('/services/oauth2/userinfo');
  }

  private data: OrgData | undefined;

  /** The records of a small query (a list page: LIMIT'ed), through the org data layer. */
  async query<T>(soql: Soql, max = 2000): Promise<T[]> {
    this.data ??= new OrgData(new Connection({ instanceUrl: this.base, accessToken: this.org.accessToken, version: this.org.apiVersion }));
    try {
      return (await this.data.all<T & { [field: string]: unknown }>(soql, { max })) as T[];
    } catch (e) {
      throw new PreviewServerError(`the org at ${this.base} answered the list query with: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  fields(object: string): Promise<DescribeField[]> {
    let p = this.describes.get(object);
    if (!p) {
      p = this.json<{ fields: DescribeField[] }>(
        `/services/data/v${this.org.apiVersion}/sobjects/${encodeURIComponent(object)}/describe`
      ).then((d) => d.fields);
      p.catch(() => this.describes.delete(object));
      this.describes.set(object, p);
    }
    return p;
  }

  /** Object API name by record Id key prefix. */
  objectForId(id: string): Promise<string | undefined> {
    this.prefixes ??= this.json<{ sobjects: Array<{ name: string; keyPrefix: string | null }> }>(
      `/services/data/v${this.org.apiVersion}/sobjects`
    ).then((d) => new Map(d.sobjects.filter((s) => s.keyPrefix).map((s) => [s.keyPrefix as string, s.name])));
    return this.prefixes.then((m) => m.get(id.slice(0, 3)));
  }
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (Array.isArray(body)) return body.map((e: { message?: string }) => e.message).join(' ');
    return (body as { message?: string }).message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
