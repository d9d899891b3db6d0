import * as path from 'node:path';
import { Command, Option } from 'commander';
import { INSTANT_FORMAT, readInstant } from '../calendar/instant';
import type { OrgTarget } from '../org/connection';
import { PACKAGE_DIR } from '../project';

/** Flags every org-touching command takes, worded as the sf CLI words them. */
export function addOrgFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('-o, --target-org <alias>', 'Username or alias of the org to use (sf CLI stored auth).').conflicts('local'))
    .option('--local', 'Use the local org (the default when --target-org is not given).')
    .option('--connection-file <path>', 'Local org connection file (default: .localorg/connection.json).');
}

/** The `Examples:` block every command's help ends with, one `$ command` a line, each runnable as printed. */
export function addExamples(cmd: Command, examples: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
}

/** `--package-dir`: where the commands that compute shipped reports read their definitions (default: the package). */
export function addPackageDirFlag(cmd: Command): Command {
  return cmd.option(
    '--package-dir <dir>',
    'Read the report definitions from this package directory.',
    path.relative(process.cwd(), PACKAGE_DIR) || PACKAGE_DIR
  );
}

export function addJsonFlag(cmd: Command): Command {
  return cmd.option('--json', 'Format output as JSON.');
}

export function orgTarget(opts: { targetOrg?: string; local?: boolean; connectionFile?: string; as?: string }): OrgTarget {
  if (opts.as !== undefined && opts.targetOrg)
    throw new InvalidFlagError(
      `--as works on the local org only: on ${opts.targetOrg}, commands run as the user sf is logged in as ` +
        `(log in as that user: npx sf org login web --alias <alias>, and pass that alias)`
    );
  return { targetOrg: opts.targetOrg, local: opts.local ?? !opts.targetOrg, connectionFile: opts.connectionFile, as: opts.as };
}

/**
 * `--as <user>`: run as another user of the local org, whose token the admin mints (scripts/org/localToken.ts,
 * connectAs): a username, or a persona — the first active user holding its permission set.
 */
export function addAsFlag(cmd: Command, defaultUser?: string): Command {
  return cmd.addOption(
    new Option(
      '--as <user>',
      'Run as this user of the local org: a username, or rep, marketing, manager, sync (the integration user) or admin' +
        (defaultUser ? ` [default: ${defaultUser}]` : ' [default: admin]') +
        '.'
    )
  );
}

/** Parses a positive (or zero, with allowZero) integer flag value, with a one-line error naming the flag. */
export function intFlag(flag: string, opts: { min?: number; max?: number } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new InvalidFlagError(`${flag} must be a whole number, got "${value}"`);
    }
    if (opts.min !== undefined && n < opts.min) throw new InvalidFlagError(`${flag} must be at least ${opts.min}, got ${n}`);
    if (opts.max !== undefined && n > opts.max) throw new InvalidFlagError(`${flag} must be at most ${opts.max}, got ${n}`);
    return n;
  };
}

/**
 * Parses a date-time flag (`--now`, `--since`, `--from` …) with the one strict ISO 8601 parser
 * (scripts/calendar/instant.ts) to epoch ms: 2026-02-30, 24:00 or a missing offset are refused with a
 * one-line error naming the flag (exit 2).
 */
export function instantFlag(flag: string) {
  return (value: string): number => parseInstantFlag(flag, value);
}

/** One date-time value (a flag, or a field of a JSON line) as epoch ms, or InvalidFlagError naming it. */
export function parseInstantFlag(name: string, value: unknown): number {
  const read = typeof value === 'string' ? readInstant(value.trim()) : undefined;
  if (read?.ok) return read.ms;
  throw new InvalidFlagError(`${name} must be ${INSTANT_FORMAT}, got ${JSON.stringify(value)}${read?.reason ? ` (${read.reason})` : ''}`);
}

export class InvalidFlagError extends Error {
  override readonly name = 'InvalidFlagError';
}
