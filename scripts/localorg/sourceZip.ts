import * as fs from 'node:fs';
import * as path from 'node:path';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';

/**
 * A metadata-API-format zip of source-format package directories (force-app, config/demo),
 * converted with @salesforce/source-deploy-retrieve exactly as `sf project deploy` would. The
 * local org deploys this into itself on first start, through the same deploy code as
 * `/metadata/deployRequest`.
 */
const cache = new Map<string, Promise<Buffer>>();

function newestMtime(dir: string): number {
  let newest = 0;
  const walk = (d: string) => {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the package's own source folders (force-app, config/demo), never request text
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs); // eslint-disable-line security/detect-non-literal-fs-filename -- the package's own source folders (force-app, config/demo), never request text
    }
  };
  if (fs.existsSync(dir)) walk(dir); // eslint-disable-line security/detect-non-literal-fs-filename -- the package's own source folders (force-app, config/demo), never request text
  return newest;
}

export function sourceZip(dirs: string[], apiVersion: string): Promise<Buffer> {
  const existing = dirs.filter((d) => fs.existsSync(d)); // eslint-disable-line security/detect-non-literal-fs-filename -- the package's own source folders (force-app, config/demo), never request text
  const key = `${apiVersion}|${existing.map((d) => `${d}@${newestMtime(d)}`).join('|')}`;
  let zip = cache.get(key);
  if (!zip) {
    zip = (async () => {
      const set = existing.length ? ComponentSet.fromSource({ fsPaths: existing }) : new ComponentSet();
      set.sourceApiVersion = apiVersion;
      set.apiVersion = apiVersion;
      const result = await new MetadataConverter().convert(set, 'metadata', { type: 'zip' });
      if (!result.zipBuffer) throw new Error('metadata conversion produced no zip');
      return result.zipBuffer;
    })();
    cache.set(key, zip);
    zip.catch(() => cache.delete(key));
  }
  return zip;
}
