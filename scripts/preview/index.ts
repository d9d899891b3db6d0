import { buildPreview, type BuildOptions, type PreviewBuild } from './build';
import { startPreviewServer, type OrgEndpoint, type PreviewServerOptions, type RunningPreview } from './server';

export { buildPreview, cachedBuild, PreviewBuildError, sourceHash, type PreviewBuild } from './build';
export { startPreviewServer, PreviewServerError, type OrgEndpoint, type RunningPreview } from './server';
export { readPages, type PreviewPage } from './pages';
export { localOrgUsers, PERSONA_CHOICES, type PreviewUsers } from './personas';
export { readBundles, type LwcBundle } from './components';

export interface PreviewOptions extends BuildOptions {
  org: OrgEndpoint;
  /** TCP port on 127.0.0.1 (0 = a free one). */
  port?: number;
  /** The reports server (linked from the app navigation and Home; see PreviewServerOptions.reportsUrl). */
  reportsUrl?: PreviewServerOptions['reportsUrl'];
  /** Shared with the reports server, so one cookie opens both (see PreviewServerOptions.access). */
  access?: PreviewServerOptions['access'];
  /** Whom the pages may run as, and as whom they start (see PreviewServerOptions.users). */
  users?: PreviewServerOptions['users'];
  as?: string;
  fallbackAs?: string;
}

export interface Preview extends RunningPreview {
  build: PreviewBuild;
}

/** Builds the components (or reuses the cached build) and serves the preview against the org. */
export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const build = await buildPreview(options);
  const server = await startPreviewServer({
    org: options.org,
    build,
    port: options.port,
    reportsUrl: options.reportsUrl,
    access: options.access,
    users: options.users,
    as: options.as,
    fallbackAs: options.fallbackAs
  });
  return { ...server, build };
}
