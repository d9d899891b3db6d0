import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { PROJECT_ROOT } from '../../../project';

/**
 * One org data layer: outside scripts/org no module builds a SOQL literal by hand or pages query results
 * itself (eslint.config.js, oneDataLayer). Probe files placed (virtually) in other layers show the rule
 * catching each way of doing it, and letting the data layer's own way through; `npm run lint` holds the real
 * tree to it.
 */

// loaded with Node's own require, as ESLint loads it (ESLint's loader uses import(), which jest's runtime lacks)
const CONFIG = createRequire(__filename)(path.join(PROJECT_ROOT, 'eslint.config.js')) as Linter.Config[];
// (import/no-cycle reads the linted file from disk, and a probe is not there)
const eslint = new ESLint({
  cwd: PROJECT_ROOT,
  overrideConfigFile: true,
  overrideConfig: [...CONFIG, { files: ['scripts/**/*.ts'], rules: { 'import/no-cycle': 'off' } }]
});

async function findings(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT_ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const BY_HAND: Array<[string, string, RegExp]> = [
  [
    'a quote escaper',
    "export const q = (v: string): string => `'${v.replace(/\\\\/g, '\\\\\\\\').replace(/'/g, \"\\\\'\")}'`;\n",
    /escapes quotes for SOQL by hand/
  ],
  ['quotes stripped from a value', "export const q = (v: string): string => v.replace(/'/g, '');\n", /escapes quotes for SOQL by hand/],
  [
    'a value quoted into a query',
    "export const q = (id: string): string => `SELECT Id FROM User WHERE Id = '${id}'`;\n",
    /quotes a value into SOQL by hand/
  ],
  [
    'a LIKE pattern quoted into a query',
    "export const q = (t: string): string => `SELECT Id FROM Lead WHERE Name LIKE '%${t}%'`;\n",
    /quotes a value into SOQL by hand/
  ],
  [
    'a queryMore loop',
    'export async function all(conn: { query(s: string): Promise<{ done: boolean; nextRecordsUrl?: string }>; queryMore(u: string): Promise<{ done: boolean; nextRecordsUrl?: string }> }): Promise<void> {\n' +
      "  let page = await conn.query('SELECT Id FROM Lead');\n" +
      '  while (!page.done && page.nextRecordsUrl) page = await conn.queryMore(page.nextRecordsUrl);\n' +
      '}\n',
    /pages query results by itself/
  ],
  ["jsforce's autoFetch", 'export const options = { autoFetch: true, maxFetch: 100000 };\n', /pages query results by itself/]
];

describe('no module outside scripts/org builds SOQL literals or pages results by itself', () => {
  it.each(BY_HAND)('catches %s in scripts/reports, scripts/sla and scripts/seed', async (_what, code, message) => {
    for (const layer of ['reports', 'sla', 'seed', 'preview']) {
      const found = await findings(`scripts/${layer}/probe.ts`, code);
      expect([layer, found.length > 0 && found.every((m) => message.test(m))]).toEqual([layer, true]);
    }
  });

  it.each(BY_HAND)('leaves %s to the data layer itself (scripts/org)', async (_what, code) => {
    expect(await findings('scripts/org/data/probe.ts', code)).toEqual([]);
  });

  it('lets the soql tag through: values are escaped there, by type', async () => {
    const code =
      "import { OrgData, soql, soqlLike } from '../org/data';\n" +
      'export async function names(data: OrgData, id: string, term: string): Promise<unknown[]> {\n' +
      "  return data.all(soql`SELECT Id FROM Lead WHERE OwnerId = ${id} AND Name LIKE ${soqlLike(term)} AND Status IN ('Open', 'New')`);\n" +
      '}\n';
    expect(await findings('scripts/reports/probe.ts', code)).toEqual([]);
  });
});
