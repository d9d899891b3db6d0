import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { PROJECT_ROOT } from '../../project';
import type { PreviewBuild, RunningPreview } from '../../preview';
import { CliError } from '../errors';
import { addAsFlag, addJsonFlag, addOrgFlags, orgTarget } from '../flags';
import { lazy } from '../lazy';
import { START_PREVIEW_PORT } from '../links';
import { createOutput, type JsonSuccess } from '../output';
import { wholeNumberFlag } from './seed';
import type { StartStep } from './startStep';
import { untilSignal } from '../signals';

const connection = lazy(() => require('../../org/connection') as typeof import('../../org/connection'));
// the LWC compiler, rollup and the server: loaded when a preview is built or served
const previewModule = lazy(() => require('../../preview') as typeof import('../../preview'));

/**
 * `closed-loop preview`: the package's components in a browser, built with LWC OSS from force-app and
 * backed by the org's UI API (the local org by default), so what a user saves there is in the org.
 * Also `previewStep`, the preview's part of `npm start`.
 */
interface PreviewFlags {
  port: number;
  buildOnly?: boolean;
  targetOrg?: string;
  local?: boolean;
  connectionFile?: string;
  as?: string;
  json?: boolean;
}

/** What the preview reports once it serves (the --json line). */
export interface PreviewReport {
  url: string;
  /** `url` with this run's access token: open it in a browser (the token becomes a cookie). */
  openUrl: string;
  port: number;
  build: BuildSummary;
  /** Who the pages run as: the header menu's choice (local org) and the user's name. */
  viewingAs: { choice?: string; name: string };
}

interface BuildSummary {
  hash: string;
  cached: boolean;
  ms: number;
  dir: string;
}

const summary = (b: PreviewBuild): BuildSummary => ({ hash: b.hash, cached: b.cached, ms: b.ms, dir: b.dir });
const buildText = (b: BuildSummary) => (b.cached ? 'cached build' : `built in ${(b.ms / 1000).toFixed(1)} s`);

export function register(program: Command): void {
  const cmd = program
    .command('preview')
    .description(
      'Serve the Lead and Opportunity record pages with the Closed Loop components (built with LWC OSS from force-app) ' +
        'against the org’s UI API on 127.0.0.1; prints the URL once ready and runs until Ctrl-C.'
    )
    .addOption(
      new Option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free one).')
        .argParser(wholeNumberFlag('--port', { min: 0, max: 65535 }))
        .default(0)
    )
    .option('--build-only', 'Build the components into the cache (or check the cached build is current) and exit; no org needed.');
  addOrgFlags(cmd);
  addAsFlag(cmd, 'rep');
  addJsonFlag(cmd);
  cmd.addHelpText(
    'after',
    `
On the local org the pages run as a persona — a rep unless --as names another — with that user's permissions,
field-level security and sharing, as in an org; the header's "View as" menu switches between rep, marketing,
manager and admin. A real org runs as the user sf is logged in as.

Examples:
  $ npx closed-loop preview
  $ npx closed-loop preview --as manager
  $ npx closed-loop preview --as jane.doe@closedloop-demo.example --port 5180`
  );
  cmd.action(async (flags: PreviewFlags) => {
    const out = createOutput(flags.json === true);
    const onColdBuild = () => out.info('Building the components with LWC OSS (first run or changed source; later starts reuse the build)…');
    if (flags.buildOnly) {
      const build = await previewModule().buildPreview({ onColdBuild });
      out.result(build, (b) => `Preview build ${b.hash} in ${b.dir} (${buildText(b)})`);
      return;
    }
    const target = orgTarget(flags);
    const conn = await connection().connect(target);
    const { buildPreview, startPreviewServer, localOrgUsers } = previewModule();
    const org = { instanceUrl: conn.instanceUrl, accessToken: conn.accessToken ?? '', apiVersion: conn.version };
    // the local org's admin mints a token per persona; a user's own connection file, or a real org, is one user
    const userFile = target.targetOrg ? undefined : connection().readConnectionFile(target.connectionFile).username;
    if (userFile && flags.as) throw new CliError(`--as needs the admin's connection file, and the one given is ${userFile}'s`, 2);
    const users = target.targetOrg || userFile ? undefined : localOrgUsers(org);
    const build = await buildPreview({ onColdBuild });
    const preview = await startPreviewServer({
      org,
      build,
      port: flags.port,
      users,
      as: flags.as,
      fallbackAs: flags.as ? undefined : 'admin'
    });
    if (preview.notice) out.info(`Preview: ${preview.notice}`);
    const report: PreviewReport = {
      url: preview.url,
      openUrl: preview.openUrl,
      port: preview.port,
      build: summary(build),
      viewingAs: preview.viewingAs()
    };
    out.result(report, (r) =>
      [
        `Preview      ${r.openUrl}   (Lead and Opportunity record pages; ${buildText(r.build)})`,
        `             as ${viewingAsText(r.viewingAs)}`,
        'Press Ctrl-C to stop.'
      ].join('\n')
    );
    await untilSignal();
    await preview.close();
    out.info('Preview stopped.');
  });
}

/**
 * `npm start`'s preview: serves at once (on START_PREVIEW_PORT when free) and, when the sources changed
 * since the cached build, builds in a child process (`preview --build-only`) meanwhile, which Ctrl-C
 * can stop mid-build; until then its pages say "building" and reload themselves.
 */
export const previewStep: StartStep = {
  name: 'preview',
  async run(ctx) {
    const { cachedBuild, startPreviewServer, PreviewServerError, localOrgUsers } = previewModule();
    const cached = cachedBuild();
    // the reports server starts after the preview (npm start's next step): the nav links it once it is known
    const reportsUrl = () => (typeof ctx.report.reportsUrl === 'string' ? ctx.report.reportsUrl : undefined);
    let build: PreviewBuild | Promise<PreviewBuild>;
    if (cached) build = cached;
    else {
      const child = buildInChildProcess();
      ctx.onStop(child.stop);
      build = child.build;
    }
    let preview: RunningPreview;
    // as a rep, as the record pages are for; the header switches (admin when the org has no rep yet)
    const who = { users: localOrgUsers(ctx.org), fallbackAs: 'admin' };
    try {
      preview = await startPreviewServer({ org: ctx.org, build, port: START_PREVIEW_PORT, access: ctx.access, reportsUrl, ...who });
    } catch (e) {
      if (!(e instanceof PreviewServerError) || !e.message.includes('in use')) throw e;
      preview = await startPreviewServer({ org: ctx.org, build, port: 0, access: ctx.access, reportsUrl, ...who });
    }
    ctx.onStop(() => preview.close());
    ctx.announce(
      `Preview      ${preview.openUrl}   (Lead and Opportunity record pages; ${cached ? 'cached build' : 'building the components now, a few seconds; the pages reload when ready'})`
    );
    ctx.announce(`             as ${viewingAsText(preview.viewingAs())}${preview.notice ? ` (${preview.notice})` : ''}`);
    ctx.report.previewUrl = preview.openUrl;
  }
};

/** `the rep Jane Doe; switch in the header's "View as" menu`, or the user's name alone (a real org). */
function viewingAsText(v: { choice?: string; name: string }): string {
  if (!v.choice) return v.name;
  const who = v.choice.includes('@') ? v.name : `the ${v.choice} ${v.name}`;
  return `${who}; switch in the header's "View as" menu`;
}

/** `closed-loop preview --build-only --json` in a child process. */
function buildInChildProcess(): { build: Promise<PreviewBuild>; stop(): void } {
  const here = path.resolve(__dirname, '..', 'index.js');
  const entry = fs.existsSync(here) ? here : path.join(PROJECT_ROOT, 'dist', 'cli', 'index.js');
  const child = spawn(process.execPath, [entry, 'preview', '--build-only', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const build = new Promise<PreviewBuild>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve((JSON.parse(stdout) as JsonSuccess<PreviewBuild>).result);
      else
        reject(
          new Error(
            signal ? `the build was stopped (${signal})` : stderr.trim() || stdout.trim() || `the build exited with ${String(code)}`
          )
        );
    });
  });
  build.catch(() => undefined);
  return {
    build,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
  };
}
