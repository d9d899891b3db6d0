/**
 * Load a module the first time it is used, not when the CLI starts.
 *
 * Every `closed-loop` run builds the whole command tree (so `--help`, `--version` and flag errors
 * work for every command), which means every command module is loaded at start-up. If those
 * modules imported their implementations at the top, each run would pay for all of them: jsforce,
 * @salesforce/source-deploy-retrieve, the SOQL parser, faker, the LWC compiler… seconds before
 * printing a version number. So a command module declares its flags and help at start-up and
 * loads what it runs only when it runs:
 *
 * ```ts
 * const server = lazy(() => require('../../localorg/server') as typeof import('../../localorg/server'));
 * // ... in the action:
 * const { startLocalOrg } = server();
 * ```
 *
 * Write the `require` at the call site (its path is relative to the calling module) and type it with
 * `typeof import(...)`, which TypeScript erases: nothing is loaded until the returned function is
 * called. Keep at module top only what registration needs: commander, ../flags, ../output,
 * ../errors, ../../project, node built-ins, `import type`, and genuinely light modules (constants,
 * error classes). scripts/cli/__tests__/startup.test.ts checks that building the program loads none
 * of the heavy packages.
 */
export function lazy<T>(load: () => T): () => T {
  let loaded = false;
  let value: T;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value;
  };
}
