import { childNamed, type XmlElement } from '../../metadata/xml';
import { didYouMean } from '../model';
import type { CheckContext } from '../types';
import { splitOnce } from './fields';

/** Formula words that are values, not fields. */
const LITERALS = new Set(['true', 'false', 'null']);

/**
 * Formulas (validation rules, formula fields) name fields of their object, follow relationships
 * that exist (`Lead__r.Status`), and compare picklists with ISPICKVAL to values the picklist has;
 * a validation rule shows its error on a field of its object.
 */
export function checkFormulas(ctx: CheckContext): void {
  const { model, findings } = ctx;
  for (const c of model.byType('ValidationRule')) {
    const root = c.xml ? model.doc(c.xml) : undefined;
    if (!root || !c.xml) continue;
    const [objectName] = splitOnce(c.fullName);
    const formula = childNamed(root, 'errorConditionFormula');
    if (formula) checkFormula(ctx, c.xml, objectName, formula);
    const display = childNamed(root, 'errorDisplayField');
    const obj = model.object(objectName);
    if (display?.text && obj && !obj.fields.has(display.text.toLowerCase())) {
      findings.add(c.xml, display.line, `errorDisplayField: ${model.unknownField(obj, display.text)}`);
    }
  }
  for (const c of model.byType('CustomField')) {
    const root = c.xml ? model.doc(c.xml) : undefined;
    const formula = childNamed(root, 'formula');
    if (!root || !c.xml || !formula) continue;
    checkFormula(ctx, c.xml, splitOnce(c.fullName)[0], formula);
  }
}

function checkFormula(ctx: CheckContext, file: string, objectName: string, el: XmlElement): void {
  const { model, findings } = ctx;
  const obj = model.object(objectName);
  if (!obj) return; // the object itself is reported elsewhere
  const source = el.text;
  const lineAt = (index: number) => el.line + (source.slice(0, index).match(/\n/g)?.length ?? 0);
  // blank out strings and comments, keeping offsets, so only code is searched for names
  const code = source.replace(/'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|\/\*[\s\S]*?\*\//g, (m) => ' '.repeat(m.length));
  for (const m of code.matchAll(/(\$?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(\s*\()?/g)) {
    const [, name, call] = m;
    if (call || name.startsWith('$') || LITERALS.has(name.toLowerCase())) continue;
    const r = model.resolveField(obj.name, name);
    if (typeof r === 'string') findings.add(file, lineAt(m.index), `${el.name}: ${r}`);
  }
  for (const m of source.matchAll(/ISPICKVAL\s*\(\s*([\w.]+)\s*,\s*(['"])(.*?)\2\s*\)/gi)) {
    const [, name, , value] = m;
    const field = model.resolveField(obj.name, name);
    if (typeof field === 'string') continue; // reported above
    if (field.type !== 'picklist') {
      findings.add(file, lineAt(m.index), `${el.name}: ISPICKVAL needs a picklist field; ${field.object}.${field.name} is ${field.type}`);
    } else if (field.picklistValues && !field.picklistValues.includes(value)) {
      findings.add(
        file,
        lineAt(m.index),
        `${el.name}: ${field.object}.${field.name} has no picklist value "${value}"${didYouMean(value, field.picklistValues)}`
      );
    }
  }
}
