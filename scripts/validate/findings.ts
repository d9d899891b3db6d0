import * as path from 'node:path';

/** One problem in the metadata: where it is (path relative to the project root, 1-based line) and why. */
export interface Finding {
  file: string;
  line: number;
  cause: string;
}

/** `path:line: cause`, the way compilers print it (editors and CI annotate it). */
export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}: ${f.cause}`;
}

/** Collects findings with paths relative to the project root, without duplicates. */
export class Findings {
  private readonly items = new Map<string, Finding>();

  constructor(private readonly root: string) {}

  add(file: string, line: number, cause: string): void {
    const rel = path.isAbsolute(file) ? path.relative(this.root, file) : file;
    const f: Finding = { file: rel.split(path.sep).join('/'), line: Math.max(1, line), cause };
    this.items.set(formatFinding(f), f);
  }

  /** Sorted by file, line, then cause. */
  list(): Finding[] {
    const order = (a: Finding, b: Finding) =>
      a.file !== b.file
        ? a.file < b.file
          ? -1
          : 1
        : a.line !== b.line
          ? a.line - b.line
          : a.cause < b.cause
            ? -1
            : a.cause > b.cause
              ? 1
              : 0;
    return [...this.items.values()].sort(order);
  }
}
