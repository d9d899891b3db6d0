import { Command, Option } from 'commander';
import type { OrgTarget } from '../org/connection';

/** Flags every org-touching command takes, worded as the sf CLI words them. */
export function addOrgFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('-o, --target-org <alias>', 'Username or alias of the org to use (sf CLI stored auth).').conflicts('local'))
    .option('--local', 'Use the local org (the default when --target-org is not given).')
    .option('--connection-file <path>', 'Local org connection file (default: .localorg/connection.json).');
}

export function addJsonFlag(cmd: Command): Command {
  return cmd.option('--json', 'Format output as JSON.');
}

export function orgTarget(opts: { targetOrg?: string; local?: boolean; connectionFile?: string }): OrgTarget {
  return { targetOrg: opts.targetOrg, local: opts.local ?? !opts.targetOrg, connectionFile: opts.connectionFile };
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

export class InvalidFlagError extends Error {
  override readonly name = 'InvalidFlagError';
}
