import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Connection } from 'jsforce';
import { startLocalOrg } from './server';

export interface TestOrg {
  conn: Connection;
  instanceUrl: string;
  accessToken: string;
  /** A connection file (in a temporary folder) for CLI tests: `--connection-file <it>`. */
  connectionFile: string;
  /** The running user's Id ("Local Admin"). */
  userId: string;
  close(): Promise<void>;
}

/**
 * An in-process local org for tests: port 0, `:memory:` unless `data` is given, schema = the
 * package (force-app + config/demo) deployed into it, or `sourceDirs` (`[]`: an empty org). Reach it only through `conn` (jsforce) or
 * the connection file, as a real org.
 */
export async function startTestOrg(
  opts: { data?: string; now?: () => Date; offsetPaging?: boolean; sourceDirs?: string[] } = {}
): Promise<TestOrg> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-org-'));
  const connectionFile = path.join(dir, 'connection.json');
  const org = await startLocalOrg({
    data: opts.data ?? ':memory:',
    connectionFile,
    now: opts.now,
    offsetPaging: opts.offsetPaging,
    sourceDirs: opts.sourceDirs
  });
  const conn = new Connection({ instanceUrl: org.instanceUrl, accessToken: org.accessToken, version: org.apiVersion });
  return {
    conn,
    instanceUrl: org.instanceUrl,
    accessToken: org.accessToken,
    connectionFile,
    userId: org.userId,
    async close() {
      await org.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
