import type { Connection } from 'jsforce';
import type { LocalAccess } from '../../http/security';
import type { Output } from '../output';

/**
 * One part of `npm start` (`closed-loop start`), run in order once the local org is up.
 *
 * To add a service (the SLA sync, the browser preview, the HTML reports), write a StartStep and add it
 * to START_STEPS in ./start.ts: use `ctx.conn` to reach the org, `ctx.announce()` for its URL or
 * one-line status, `ctx.report` for its --json fields, and `ctx.onStop()` for its shutdown.
 */
export interface StartStep {
  name: string;
  run(ctx: StartContext): Promise<void>;
}

export interface StartContext {
  readonly out: Output;
  readonly flags: StartFlags;
  /** The running local org: what the connection file holds. */
  readonly org: { instanceUrl: string; accessToken: string; apiVersion: string; connectionFile: string; data: string };
  /** A jsforce connection to it as the admin (reach the org only over its API, as a real org). */
  readonly conn: Connection;
  /**
   * A connection as a user of the org — a username, or `sync` (the integration user the SLA sync runs as),
   * `rep`, `marketing`, `manager` (the first user with that persona's permission set) — whose token the admin
   * mints (scripts/org/localToken.ts). The same connection for the same user throughout the run.
   */
  as(user: string): Promise<Connection>;
  /** This run created the database (first run, or :memory:). */
  readonly fresh: boolean;
  /**
   * The access token every server of this run shares (Host, Origin and token checks, one cookie): pass it
   * to a server's `access` option and announce its `openUrl`.
   */
  readonly access: LocalAccess;
  /** A line for the "ready" banner, e.g. `Reports     http://127.0.0.1:5000/reports`. */
  announce(line: string): void;
  /** Fields of the one JSON line printed when ready (with --json), e.g. `report.previewUrl = …`. */
  readonly report: Record<string, unknown>;
  /** Something to stop on Ctrl-C; stopped in reverse order of registration, before the org closes. */
  onStop(stop: () => Promise<void> | void): void;
}

/** `closed-loop start`'s flags, as commander parses them. */
export interface StartFlags {
  port: number;
  data: string;
  connectionFile: string;
  seed: number;
  leads: number;
  reseed?: boolean;
  /** Seconds between SLA syncs while running; 0 = one sync at start only. */
  syncInterval?: number;
  json?: boolean;
}
