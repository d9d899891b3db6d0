import * as fs from 'node:fs';
import * as path from 'node:path';
import { transformSync } from '@lwc/compiler';
import { readBundles, type LwcBundle } from './components';

/**
 * What each component costs the browser on its own: its JavaScript, HTML template and CSS compiled by the
 * LWC compiler (as the platform and the preview build do) and minified with UglifyJS, summed. Base
 * components, LDS and the other `c/` modules it imports are not counted (each is measured as its own).
 */

interface Minifier {
  minify(code: string, options: { module: boolean; compress: object | boolean; mangle: boolean }): { code?: string; error?: Error };
}
// uglify-js ships no type declarations
// eslint-disable-next-line @typescript-eslint/no-require-imports
const uglify = require('uglify-js') as Minifier;

export interface ComponentSize {
  name: string;
  /** Source bytes of the bundle's .js/.html/.css files. */
  sourceBytes: number;
  /** Compiled and minified bytes. */
  minifiedBytes: number;
  files: string[];
}

export class ComponentSizeError extends Error {
  override readonly name = 'ComponentSizeError';
}

export function componentSize(bundle: LwcBundle): ComponentSize {
  const dir = path.dirname(bundle.entry);
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(js|html|css)$/.test(f))
    .sort();
  let sourceBytes = 0;
  let minifiedBytes = 0;
  for (const f of files) {
    const file = path.join(dir, f);
    const source = fs.readFileSync(file, 'utf8');
    sourceBytes += Buffer.byteLength(source);
    const compiled = transformSync(source, file, { name: bundle.name, namespace: 'c', enableDynamicComponents: true });
    const min = uglify.minify(compiled.code, { module: true, compress: {}, mangle: true });
    if (min.error || min.code === undefined) throw new ComponentSizeError(`${bundle.name}/${f}: ${min.error?.message ?? 'no output'}`);
    minifiedBytes += Buffer.byteLength(min.code);
  }
  return { name: bundle.name, sourceBytes, minifiedBytes, files };
}

export function componentSizes(bundles: LwcBundle[] = readBundles()): ComponentSize[] {
  return bundles.map(componentSize);
}
