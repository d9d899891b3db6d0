import { childNamed, childrenNamed, childText } from '../../metadata/xml';
import type { FieldInfo, ObjectInfo, ProjectModel } from '../model';
import type { CheckContext } from '../types';
import { splitOnce } from './fields';

/** Filter operators that compare whole values (so a picklist value must exist to ever match). */
const VALUE_OPERATORS = new Set(['equals', 'notEqual', 'includes', 'excludes']);

/**
 * List views name fields of their object in columns and filters, and a filter on a picklist
 * names values the picklist has (otherwise the view is silently empty).
 */
export function checkListViews(ctx: CheckContext): void {
  const { model, findings } = ctx;
  for (const c of model.byType('ListView')) {
    const root = c.xml ? model.doc(c.xml) : undefined;
    if (!root || !c.xml) continue;
    const file = c.xml;
    const [objectName] = splitOnce(c.fullName);
    const obj = model.object(objectName);
    if (!obj) {
      findings.add(file, root.line, `list view for ${model.unknownObject(objectName)}`);
      continue;
    }
    for (const col of childrenNamed(root, 'columns')) {
      const r = resolveColumn(model, obj, col.text);
      if (typeof r === 'string') findings.add(file, col.line, `list view column ${col.text}: ${r}`);
    }
    const filters = childrenNamed(root, 'filters');
    for (const f of filters) {
      const fieldEl = childNamed(f, 'field');
      if (!fieldEl) continue;
      const r = resolveColumn(model, obj, fieldEl.text);
      if (typeof r === 'string') {
        findings.add(file, fieldEl.line, `list view filter ${fieldEl.text}: ${r}`);
        continue;
      }
      const valueEl = childNamed(f, 'value');
      if (!r || !r.picklistValues || !valueEl || !VALUE_OPERATORS.has(childText(f, 'operation'))) continue;
      for (const v of valueEl.text.split(',').map((s) => s.trim())) {
        if (v && !r.picklistValues.some((p) => p.toLowerCase() === v.toLowerCase())) {
          findings.add(
            file,
            valueEl.line,
            `list view filter: ${r.object}.${r.name} has no picklist value "${v}" (values: ${r.picklistValues.join(', ')})`
          );
        }
      }
    }
    const boolean = childNamed(root, 'booleanFilter');
    if (boolean) {
      for (const n of boolean.text.match(/\d+/g) ?? []) {
        if (Number(n) < 1 || Number(n) > filters.length) {
          findings.add(file, boolean.line, `booleanFilter refers to filter ${n}, but the view has ${filters.length} filter(s)`);
        }
      }
    }
  }
}

/**
 * A list view column token: custom fields are written by API name (`Status__c`, or
 * `Lead.MQL_At__c` on standard objects); standard columns use platform tokens (`NAME`,
 * `LEAD.STATUS`, `CORE.USERS.ALIAS`), which are matched to a field when they obviously name one
 * and otherwise left alone (undefined). Returns the field, a reason it does not exist, or undefined.
 */
export function resolveColumn(model: ProjectModel, obj: ObjectInfo, token: string): FieldInfo | string | undefined {
  const rest = token.replace(new RegExp(`^${obj.name}\\.`, 'i'), '');
  if (/__[cr](\.|$)/i.test(rest)) return model.resolveField(obj.name, rest);
  const m = /^(\w+)\.(\w+)$/.exec(token);
  if (m && m[1].toLowerCase() === obj.name.toLowerCase()) {
    const squashed = m[2].replace(/_/g, '').toLowerCase();
    return [...obj.fields.values()].find((f) => f.name.toLowerCase() === squashed);
  }
  return undefined;
}
