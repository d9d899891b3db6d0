import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../project';

/**
 * A throwaway copy of the real project metadata (sfdx-project.json, .forceignore, every package
 * directory) that a test can break. Edits go through `replace`, which fails when the text to break
 * is not there, so a test never passes by editing nothing.
 */
export class ProjectCopy {
  readonly root: string;

  constructor() {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'closed-loop-validate-'));
    for (const f of ['sfdx-project.json', '.forceignore']) fs.copyFileSync(path.join(PROJECT_ROOT, f), path.join(this.root, f));
    const project = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'sfdx-project.json'), 'utf8')) as {
      packageDirectories: Array<{ path: string }>;
    };
    for (const { path: dir } of project.packageDirectories) {
      const from = path.join(PROJECT_ROOT, dir);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(this.root, dir), { recursive: true });
    }
  }

  path(rel: string): string {
    return path.join(this.root, rel);
  }

  read(rel: string): string {
    return fs.readFileSync(this.path(rel), 'utf8');
  }

  write(rel: string, text: string): void {
    fs.mkdirSync(path.dirname(this.path(rel)), { recursive: true });
    fs.writeFileSync(this.path(rel), text);
  }

  /** Replaces the first match of `from` and returns the 1-based line the replacement starts on. */
  replace(rel: string, from: string | RegExp, to: string): number {
    const text = this.read(rel);
    const m = typeof from === 'string' ? { index: text.indexOf(from), 0: from } : from.exec(text);
    if (!m || m.index === undefined || m.index < 0) throw new Error(`${rel} does not contain ${String(from)}`);
    this.write(rel, text.slice(0, m.index) + text.slice(m.index).replace(from, to));
    return lineAt(text, m.index);
  }

  /** Inserts `snippet` before the first occurrence of `before` and returns the line the snippet starts on. */
  insertBefore(rel: string, before: string, snippet: string): number {
    return this.replace(rel, before, `${snippet}${before}`);
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export function lineAt(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Paths inside the package, as findings print them. */
export const P = {
  ratingField: 'force-app/main/default/objects/Lead_Quality_Feedback__c/fields/Rating__c.field-meta.xml',
  repPermissionSet: 'force-app/main/default/permissionsets/Closed_Loop_Rep.permissionset-meta.xml',
  feedbackJs: 'force-app/main/default/lwc/leadQualityFeedback/leadQualityFeedback.js',
  acceptPolicy: 'force-app/main/default/customMetadata/SLA_Policy.Lead_Accept.md-meta.xml',
  mqlCommitment: 'force-app/main/default/customMetadata/Alignment_Commitment.Marketing_MQL_Volume.md-meta.xml',
  feedbackFields: 'force-app/main/default/objects/Lead_Quality_Feedback__c/fields',
  timerListViews: 'force-app/main/default/objects/SLA_Timer__c/listViews',
  feedbackLayout: 'force-app/main/default/layouts/Lead_Quality_Feedback__c-Lead Quality Feedback Layout.layout-meta.xml'
} as const;
