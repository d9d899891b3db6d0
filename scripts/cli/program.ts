import { Command, CommanderError } from 'commander';
import { CliError, oneLine } from './errors';
import { InvalidFlagError } from './flags';
import { registerCommands } from './commands';
import { jsonFailure } from './output';

const { version } = require('../../package.json') as { version: string };

export interface RunStreams {
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream & { isTTY?: boolean };
}

export function buildProgram(): Command {
  const program = new Command('closed-loop')
    .description('Closed Loop: run the sales-marketing SLA inside Salesforce, or on the embedded local org.')
    .version(version, '-v, --version', 'Show the Closed Loop version.')
    .helpOption('-h, --help', 'Show help for a command.')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nCommands that read or write org data take --local (the embedded local org, their default) or\n' +
        '--target-org <alias> (an org the sf CLI is logged in to); "org" commands work on real orgs. All take --json.\n' +
        'Run "npx closed-loop <command> --help" for a command\'s flags.'
    );
  registerCommands(program);
  return program;
}

/**
 * Parses argv and runs the command. Returns the exit code; every failure is printed as one line
 * (`closed-loop: <cause>`), or with --json as the sf CLI's failure envelope
 * (`{"status":1,"name","message","exitCode":1,"warnings":[]}`, see ./output.ts).
 */
export async function run(argv: readonly string[], streams: RunStreams = { out: process.stdout, err: process.stderr }): Promise<number> {
  const program = buildProgram();
  const wantsJson = argv.includes('--json');
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => streams.out.write(s),
    writeErr: (s) => streams.err.write(s),
    // commander's own parse errors: keep them to one line
    outputError: () => {}
  });
  applyToAll(program, (c) => {
    c.exitOverride();
    c.configureOutput({ writeOut: (s) => streams.out.write(s), writeErr: (s) => streams.err.write(s), outputError: () => {} });
  });
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      return fail(streams, wantsJson, 'InvalidFlagError', err.message.replace(/^error: /, ''), 2);
    }
    // a bad flag value is a usage error wherever it is noticed (commander's parser or the action): exit 2
    const code = err instanceof CliError ? err.exitCode : err instanceof InvalidFlagError ? 2 : 1;
    const name = err instanceof Error ? err.name : 'Error';
    let msg = oneLine(err);
    if (err instanceof CliError && err.hint) msg += ` (${err.hint})`;
    return fail(streams, wantsJson, name, msg, code, err instanceof CliError ? err.data : undefined);
  }
}

function fail(streams: RunStreams, json: boolean, name: string, message: string, code: number, data?: unknown): number {
  if (json) streams.out.write(`${JSON.stringify(jsonFailure(name, message, code, data))}\n`);
  else streams.err.write(`closed-loop: ${message}\n`);
  return code;
}

function applyToAll(cmd: Command, f: (c: Command) => void): void {
  for (const c of cmd.commands) {
    f(c);
    applyToAll(c, f);
  }
}
