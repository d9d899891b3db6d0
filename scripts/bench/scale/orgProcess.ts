import { startTestOrg } from '../../localorg/testing';
import { answerParent, type Handlers } from './calls';

/**
 * A local org in a process of its own, forked by the scale bench (orgs.ts), so the memory and CPU of the
 * org and of its clients are measured apart. Its database is the file the parent names; its clock is the
 * parent's, set over the IPC channel before each step (the org reads it for every request, as
 * `startTestOrg({ now })` does in-process). It serves HTTP on 127.0.0.1 with its own access token, like
 * `closed-loop localorg start`.
 */

export interface OrgStart {
  /** SQLite file (created and deployed into on first start). */
  data: string;
  /** The org's clock, ms since the epoch. */
  now: number;
}

export interface OrgAddress {
  instanceUrl: string;
  accessToken: string;
  apiVersion: string;
}

export interface OrgUsage {
  /** CPU time of this process so far (user + system). */
  cpuMs: number;
  /** SQLite's `PRAGMA data_version` seen from a second connection: it changes when the org commits a write. */
  dataVersion: number;
}

async function main(): Promise<void> {
  let nowMs = 0;
  let org: Awaited<ReturnType<typeof startTestOrg>> | undefined;
  const close = async () => {
    const running = org;
    org = undefined;
    await running?.close();
  };
  // the parent went away without stopping this org: stop it too
  process.on('disconnect', () => {
    void close().finally(() => process.exit(0));
  });
  answerParent(
    new Map<string, (arg: unknown) => unknown>([
      [
        'start',
        async (arg) => {
          const opts = arg as OrgStart;
          nowMs = opts.now;
          org = await startTestOrg({ data: opts.data, now: () => new Date(nowMs) });
          return { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: org.conn.version } satisfies OrgAddress;
        }
      ],
      [
        'now',
        (arg) => {
          nowMs = arg as number;
          return nowMs;
        }
      ],
      [
        'usage',
        () => {
          if (!org) throw new Error('the org is not running');
          const cpu = process.cpuUsage();
          return { cpuMs: (cpu.user + cpu.system) / 1000, dataVersion: org.dataVersion() } satisfies OrgUsage;
        }
      ],
      ['stop', close]
    ]) satisfies Handlers,
    'stop'
  );
}

if (require.main === module) void main();
