import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * The calendar is the one implementation shared by Node and the LWC components: it must import
 * nothing outside its own folder and use no Node or browser globals, only language built-ins (Date, Intl).
 */
const dir = path.join(__dirname, '..');
const sources = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('scripts/calendar is pure TypeScript', () => {
  it.each(sources)('%s imports only sibling calendar modules', (file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const specifiers = [...text.matchAll(/\b(?:import|export)\b[^'";]*?\bfrom\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
    for (const s of specifiers) expect(s).toMatch(/^\.\/[A-Za-z]+$/);
    expect(text).not.toMatch(/\brequire\s*\(|\bimport\s*\(|\bprocess\.|\bBuffer\b|\bglobalThis\b|\bwindow\.|\bdocument\./);
  });
});
