import { Command, Option } from 'commander';
import { connect } from '../../org/connection';
import { startPreview, type Preview } from '../../preview';
import { addJsonFlag, addOrgFlags, intFlag, orgTarget } from '../flags';
import { createOutput, type Output } from '../output';

/**
 * `closed-loop preview`: the package's components in a browser, built with LWC OSS from force-app and
 * backed by the org's UI API (the local org by default), so what a user saves there is in the org.
 */
interface PreviewFlags {
  port: number;
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
  json?: boolean;
}

/** What the preview reports once it serves (the --json line). */
export interface PreviewReport {
  url: string;
  port: number;
  build: { hash: string; cached: boolean; ms: number; dir: string };
}

export function previewReport(preview: Preview): PreviewReport {
  const { hash, cached, ms, dir } = preview.build;
  return { url: preview.url, port: preview.port, build: { hash, cached, ms, dir } };
}

/** Starts the preview against an org, telling the user when a cold build makes them wait. */
export function startPreviewFor(
  org: { instanceUrl: string; accessToken: string; apiVersion: string },
  port: number,
  out: Output
): Promise<Preview> {
  return startPreview({
    org,
    port,
    onColdBuild: () => out.info('Building the components with LWC OSS (first run or changed source; later starts reuse the build)…')
  });
}

export function register(program: Command): void {
  const cmd = program
    .command('preview')
    .description(
      'Serve the Lead and Opportunity record pages with the Closed Loop components (built with LWC OSS from force-app) ' +
        'against the org’s UI API on 127.0.0.1; prints the URL once ready and runs until Ctrl-C.'
    )
    .addOption(
      new Option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one).')
        .argParser(intFlag('--port', { min: 0, max: 65535 }))
        .default(0)
    );
  addOrgFlags(cmd);
  addJsonFlag(cmd);
  cmd.action(async (flags: PreviewFlags) => {
    const out = createOutput(flags.json === true);
    const conn = await connect(orgTarget(flags));
    const org = { instanceUrl: conn.instanceUrl, accessToken: conn.accessToken ?? '', apiVersion: conn.version };
    const preview = await startPreviewFor(org, flags.port, out);
    out.result(previewReport(preview), (r) =>
      [
        `Preview      ${r.url}   (records: ${r.url}/, build ${r.build.cached ? 'cached' : `${(r.build.ms / 1000).toFixed(1)} s`})`,
        'Press Ctrl-C to stop.'
      ].join('\n')
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await preview.close();
    out.info('Preview stopped.');
  });
}
