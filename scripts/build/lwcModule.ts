import * as path from 'node:path';
import { rollup, type Plugin } from 'rollup';
import * as ts from 'typescript';

/**
 * Emits TypeScript of scripts/ as one LWC service module (an ES module a component imports as `c/<name>`), so
 * the components run the very same code as the CLI and the sync. Each .ts file is transpiled on its own with
 * TypeScript (types erased, nothing else changed), and rollup joins what the entry reaches into one module
 * (unused exports are left out). Only relative imports inside `folders` are allowed: anything else is an error.
 * The output is committed (orgs deploy JavaScript); `npm run build` writes it and a test fails when the
 * committed file differs from a fresh one.
 */
export interface LwcModuleSpec {
  /** The TypeScript file whose exports the module has. */
  entry: string;
  /** Folders the entry may reach (absolute paths); the entry's own folder always. */
  folders: string[];
  /**
   * Folders another emitted module already holds (absolute path → its specifier, e.g. scripts/calendar →
   * `c/businessCalendar`): what the entry imports from them is imported from that module, not copied.
   */
  externals?: Record<string, string>;
  /** First lines of the module (comments). */
  banner: string;
}

export async function generateLwcModule(spec: LwcModuleSpec): Promise<string> {
  const bundle = await rollup({
    input: spec.entry,
    plugins: [typescriptOnly([path.dirname(spec.entry), ...spec.folders], spec.externals ?? {})],
    onwarn(warning) {
      throw new Error(`rollup: ${warning.message}`);
    }
  });
  try {
    const { output } = await bundle.generate({ format: 'es', banner: spec.banner });
    return output[0].code.endsWith('\n') ? output[0].code : `${output[0].code}\n`;
  } finally {
    await bundle.close();
  }
}

/** Resolves relative imports to .ts files in the allowed folders and transpiles each; anything else is an error. */
function typescriptOnly(folders: string[], externals: Record<string, string>): Plugin {
  return {
    name: 'closed-loop-lwc-typescript',
    resolveId(source, importer) {
      if (!importer) return null;
      const resolved = source.startsWith('./') || source.startsWith('../') ? path.join(path.dirname(importer), `${source}.ts`) : undefined;
      const external = resolved ? externals[path.dirname(resolved)] : undefined;
      if (external) return { id: external, external: true };
      if (!resolved || !folders.includes(path.dirname(resolved))) {
        const where = path.relative(path.dirname(folders[0]), path.dirname(importer));
        throw new Error(`scripts/${where} must not import "${source}" (${path.basename(importer)})`);
      }
      return resolved;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          target: ts.ScriptTarget.ES2020,
          module: ts.ModuleKind.ESNext,
          verbatimModuleSyntax: false,
          removeComments: false,
          sourceMap: false
        }
      });
      return { code: out.outputText, map: null };
    }
  };
}
