import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { API_VERSION, DEMO_DIR, PACKAGE_DIR } from '../project';
import { DEFAULT_QUERY_TIMEOUT_MS, NODE_MAX_HEADER_BYTES } from './bounds';
import type { BulkOptions } from './bulk/bulkJobs';
import type { SfError } from './errors';
import { newAccessToken, TokenAuth } from './http/auth';
import { answerClientError } from './http/clientErrors';
import { AnsweredRequest, requestHandler } from './http/handler';
import type { ServerLog } from './http/reply';
import { LocalOrg } from './org';
import { sourceZip } from './sourceZip';
import { Store } from './store';

/**
 * The local org: a Salesforce REST API emulator on 127.0.0.1, with its data in SQLite. This module
 * starts it: it opens the database, writes the first rows and deploys the package into an empty
 * org, and serves HTTP. org.ts holds the org's state, http/ the HTTP shell (token check, body,
 * routing, errors) and routes/ one module per REST area.
 */

export interface LocalOrgOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** SQLite file, or `:memory:` (default). */
  data?: string;
  /** Where to write `{instanceUrl, accessToken, apiVersion}` (mode 0600); not written when absent. */
  connectionFile?: string;
  /** Source-format package directories deployed into an empty org (default force-app + config/demo). */
  sourceDirs?: string[];
  /** The org's clock (tests); default the real time. */
  now?: () => Date;
  /** Page every query with LIMIT/OFFSET as before keyset paging (a bench baseline only). */
  offsetPaging?: boolean;
  /**
   * A request's time budget in the database, in ms (QUERY_TIMEOUT past it), and a Bulk API query
   * job's for each page of its query; default 10 s (bounds.ts).
   */
  queryTimeoutMs?: number;
  /** Where the causes of 500 answers are written, under their error ids (default stderr). */
  log?: ServerLog;
  /** Told about every answered request (tests). */
  onRequest?: (info: AnsweredRequest) => void;
  /** Bulk API tuning: records per transaction, query result page size (defaults: the real API's). */
  bulk?: BulkOptions;
  /** API requests allowed per rolling 24 hours (default 5,000,000, bounds.ts). */
  dailyApiRequests?: number;
}

export interface ConnectionInfo {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
}

export interface RunningLocalOrg extends ConnectionInfo {
  port: number;
  /** The running user (the token's user), "Local Admin". */
  userId: string;
  close(): Promise<void>;
}

/** Starts the local org HTTP server on 127.0.0.1. */
export async function startLocalOrg(opts: LocalOrgOptions = {}): Promise<RunningLocalOrg> {
  const data = opts.data ?? ':memory:';
  if (data !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(data)), { recursive: true }); // eslint-disable-line security/detect-non-literal-fs-filename -- the operator's --data path (CLI flag or test option), never request text
  const store = new Store(data);
  const token = newAccessToken();
  const queryTimeoutMs = opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  let org: LocalOrg;
  try {
    org = new LocalOrg(store, opts.now ?? (() => new Date()), {
      offsetPaging: opts.offsetPaging,
      bulk: { queryTimeoutMs, ...opts.bulk },
      dailyApiRequests: opts.dailyApiRequests
    });
    org.bootstrap();
    if (!org.deployments.hasDeployed()) {
      const zip = await sourceZip(opts.sourceDirs ?? [PACKAGE_DIR, DEMO_DIR], API_VERSION);
      const result = await org.deployments.run(zip, { rollbackOnError: true, singlePackage: true }, org.adminUserId);
      if (!result.success) {
        const first = result.details.componentFailures[0];
        throw new Error(
          `the package does not deploy into the local org: ${first ? `${first.fileName}: ${first.problem}` : (result.errorMessage ?? 'unknown error')}`
        );
      }
      store.kvSet('selfDeployed', new Date().toISOString());
    }
  } catch (e) {
    store.close();
    throw e;
  }
  org.bulk.resume();
  const handle = requestHandler(org, new TokenAuth(token, org.adminUserId), {
    queryTimeoutMs,
    log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)),
    onRequest: opts.onRequest
  });
  // headers up to NODE_MAX_HEADER_BYTES reach the handler, which answers the real 16,384-byte limit itself
  const server = http.createServer({ maxHeaderSize: NODE_MAX_HEADER_BYTES }, (req, res) => {
    void handle(req, res);
  });
  server.on('clientError', answerClientError);
  // Idle keep-alive sockets stay open longer than any client keeps them: a client (undici, under jsforce)
  // reuses a socket until the server's Keep-Alive timeout minus 2 s, so with Node's 5 s default a client
  // whose event loop lags past that margin writes into a socket the server is closing and gets ECONNRESET
  // (seen with 50 concurrent clients on a loaded machine). close() still ends every connection at once.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const info: ConnectionInfo = { instanceUrl: `http://127.0.0.1:${port}`, accessToken: token, apiVersion: API_VERSION };
  if (opts.connectionFile) writeConnectionFile(opts.connectionFile, info);
  let closed = false;
  return {
    ...info,
    port,
    userId: org.adminUserId,
    async close() {
      if (closed) return;
      closed = true;
      org.bulk.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    }
  };
}

export function writeConnectionFile(file: string, info: ConnectionInfo): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true }); // eslint-disable-line security/detect-non-literal-fs-filename -- the operator's --connection-file path, never request text
  fs.writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 }); // eslint-disable-line security/detect-non-literal-fs-filename -- the operator's --connection-file path, never request text
  fs.chmodSync(file, 0o600); // eslint-disable-line security/detect-non-literal-fs-filename -- the operator's --connection-file path, never request text
}

export type { AnsweredRequest, ServerLog, SfError };
