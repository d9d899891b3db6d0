import * as path from 'node:path';
import { Command, Option } from 'commander';
import { DEFAULT_CONNECTION_FILE, LOCAL_ORG_DIR } from '../../project';
import { addJsonFlag, intFlag } from '../flags';
import { lazy } from '../lazy';
import { createOutput } from '../output';
import { untilSignal } from '../signals';

const server = lazy(() => require('../../localorg/server') as typeof import('../../localorg/server'));
const localToken = lazy(() => require('../../org/localToken') as typeof import('../../org/localToken'));

/**
 * `closed-loop localorg start`: the embedded local org (a Salesforce REST API emulator on SQLite,
 * not a Salesforce product) on 127.0.0.1, until Ctrl-C. `closed-loop localorg token --user <username>`:
 * a token for one of its users, so commands run as that user (their profile and permission sets).
 */
interface StartOptions {
  port: number;
  data: string;
  connectionFile: string;
  queryTimeout?: number;
  json?: boolean;
}

interface TokenOptions {
  user: string;
  connectionFile?: string;
  adminConnectionFile: string;
  json?: boolean;
}

export function register(program: Command): void {
  const group = program.command('localorg').description('Run the embedded local org (a Salesforce REST API emulator on SQLite).');
  const start = group
    .command('start')
    .description(
      'Start the local org on 127.0.0.1 and write its connection file ({instanceUrl, accessToken, apiVersion}). ' +
        'On first start with an empty database it deploys force-app and config/demo into itself. Runs until Ctrl-C.'
    )
    .addOption(
      new Option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one).')
        .argParser(intFlag('--port', { min: 0, max: 65535 }))
        .default(0)
    )
    .option('--data <file>', 'SQLite database file, or :memory: for a throwaway org.', path.join(LOCAL_ORG_DIR, 'localorg.db'))
    .option('--connection-file <path>', 'Where to write the connection file (mode 0600).', DEFAULT_CONNECTION_FILE)
    .addOption(
      new Option(
        '--query-timeout <seconds>',
        'How long one request may run queries before it is answered 400 QUERY_TIMEOUT (default 10; every client waits meanwhile).'
      ).argParser(intFlag('--query-timeout', { min: 1, max: 3600 }))
    );
  addJsonFlag(start);
  start.action(async (opts: StartOptions) => {
    const out = createOutput(opts.json === true);
    const org = await server().startLocalOrg({
      port: opts.port,
      data: opts.data,
      connectionFile: opts.connectionFile,
      queryTimeoutMs: opts.queryTimeout === undefined ? undefined : opts.queryTimeout * 1000
    });
    const info = { instanceUrl: org.instanceUrl, accessToken: org.accessToken, apiVersion: org.apiVersion };
    out.result(info, (i) =>
      [
        `Local org listening on ${i.instanceUrl} (API v${i.apiVersion}); data: ${opts.data}`,
        `Connection file: ${opts.connectionFile}`,
        `Access token: ${i.accessToken}`,
        `  curl -H "Authorization: Bearer ${i.accessToken}" ${i.instanceUrl}/services/data/v${i.apiVersion}/limits`,
        `  npx closed-loop <command> --local --connection-file ${opts.connectionFile}`,
        'Press Ctrl-C to stop.'
      ].join('\n')
    );
    await untilSignal();
    await org.close();
    out.info('Local org stopped.');
  });

  const token = group
    .command('token')
    .description(
      'Mint an access token for an active user of the running local org. Requests made with it run as that user, with the ' +
        'object permissions, field-level security and sharing of their profile and assigned permission sets (the admin token has full access).'
    )
    .requiredOption('--user <username>', 'Username of the user (SELECT Username FROM User).')
    .option('--connection-file <path>', "Write the user's connection file here (mode 0600), for --connection-file of other commands.")
    .option(
      '--admin-connection-file <path>',
      "The running local org's connection file (the admin's), which mints the token.",
      DEFAULT_CONNECTION_FILE
    );
  addJsonFlag(token);
  token.action(async (opts: TokenOptions) => {
    const out = createOutput(opts.json === true);
    const { mintLocalUserToken, writeConnectionFile } = localToken();
    const minted = await mintLocalUserToken(opts.user, opts.adminConnectionFile);
    if (opts.connectionFile) writeConnectionFile(opts.connectionFile, minted);
    out.result({ ...minted, connectionFile: opts.connectionFile ?? null }, (m) =>
      [
        `Token for ${m.username} (${m.userId}) on ${m.instanceUrl}:`,
        m.connectionFile ? `Connection file: ${m.connectionFile}` : `Access token: ${m.accessToken}`,
        m.connectionFile
          ? `  closed-loop <command> --local --connection-file ${m.connectionFile}`
          : `  curl -H "Authorization: Bearer ${m.accessToken}" ${m.instanceUrl}/services/oauth2/userinfo`
      ].join('\n')
    );
  });
}
