import { ReportMetadataError } from './errors';

/**
 * Custom summary formulas (Report `aggregates`): the subset the runner evaluates exactly —
 * arithmetic (+ - * / ^), comparisons, && || and AND/OR/NOT, IF, BLANKVALUE/NULLVALUE, ROUND,
 * ABS, MAX/MIN, summary references (`RowCount`, `Object.Field__c:SUM|AVG|MIN|MAX|UNIQUE`) and
 * PARENTGROUPVAL(summary, level[, level]) with GRAND_SUMMARY, ROW_GRAND_SUMMARY,
 * COLUMN_GRAND_SUMMARY or a grouping. Anything else is a ReportMetadataError, never a guess.
 */

export type SummaryFn = 'SUM' | 'AVG' | 'MIN' | 'MAX' | 'UNIQUE';

export interface SummaryRef {
  /** `RowCount`, or a column (`Lead$Reached_SAL__c`) with its summary function. */
  column: string | 'RowCount';
  fn?: SummaryFn;
}

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'ref'; ref: SummaryRef }
  | { kind: 'parent'; ref: SummaryRef; levels: string[] }
  | { kind: 'unary'; op: '-' | '+' | '!'; arg: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'call'; fn: string; args: Expr[] };

type Token = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

const FUNCTIONS = new Set(['IF', 'BLANKVALUE', 'NULLVALUE', 'ROUND', 'ABS', 'MAX', 'MIN', 'AND', 'OR', 'NOT', 'PARENTGROUPVAL']);

function tokenize(src: string, fail: (why: string) => never): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^\d+(?:\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][\w.$]*(?::[A-Za-z]+)?/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(?:&&|\|\||<=|>=|<>|!=|==|[-+*/^(),<>=!])/.exec(src.slice(i));
    if (op) {
      out.push({ t: 'op', v: op[0] });
      i += op[0].length;
      continue;
    }
    fail(`unexpected "${c}"`);
  }
  return out;
}

/** Parses a formula; `columnOf` turns `Object.Field__c` into the report column it names. */
export function parseFormula(src: string, columnOf: (dotted: string) => string, where: string): Expr {
  const fail = (why: string): never => {
    throw new ReportMetadataError(`${where}: cannot interpret formula "${src}": ${why}`);
  };
  const toks = tokenize(src, fail);
  let pos = 0;
  const peek = () => toks[pos];
  const isOp = (v: string) => peek()?.t === 'op' && peek().v === v;
  const expect = (v: string) => {
    if (!isOp(v)) fail(`expected "${v}"`);
    pos++;
  };

  const summaryRef = (raw: string): SummaryRef => {
    if (raw.toLowerCase() === 'rowcount') return { column: 'RowCount' };
    const m = /^(.+):([A-Za-z]+)$/.exec(raw);
    if (!m) return fail(`${raw} is not a summary (write Object.Field:SUM, :AVG, :MIN, :MAX or RowCount)`);
    const fn = m[2].toUpperCase();
    if (fn !== 'SUM' && fn !== 'AVG' && fn !== 'MIN' && fn !== 'MAX' && fn !== 'UNIQUE') fail(`summary function ${m[2]} is not supported`);
    return { column: columnOf(m[1]), fn: fn as SummaryFn };
  };

  const primary = (): Expr => {
    const tok = peek();
    if (!tok) return fail('unexpected end');
    if (tok.t === 'num') {
      pos++;
      return { kind: 'num', value: tok.v };
    }
    if (tok.t === 'op' && tok.v === '(') {
      pos++;
      const e = expr();
      expect(')');
      return e;
    }
    if (tok.t === 'id') {
      pos++;
      const upper = tok.v.toUpperCase();
      if (isOp('(')) {
        if (!FUNCTIONS.has(upper)) fail(`function ${tok.v} is not supported by the report runner`);
        pos++;
        if (upper === 'PARENTGROUPVAL') {
          const first = peek();
          if (first?.t !== 'id') return fail('PARENTGROUPVAL needs a summary as its first argument');
          pos++;
          const ref = summaryRef(first.v);
          const levels: string[] = [];
          while (isOp(',')) {
            pos++;
            const lv = peek();
            if (lv?.t !== 'id') return fail('PARENTGROUPVAL levels are grouping names');
            levels.push(lv.v);
            pos++;
          }
          expect(')');
          if (levels.length < 1 || levels.length > 2) fail('PARENTGROUPVAL takes one or two grouping levels');
          return { kind: 'parent', ref, levels };
        }
        const args: Expr[] = [];
        if (!isOp(')')) {
          args.push(expr());
          while (isOp(',')) {
            pos++;
            args.push(expr());
          }
        }
        expect(')');
        return { kind: 'call', fn: upper, args };
      }
      return { kind: 'ref', ref: summaryRef(tok.v) };
    }
    return fail(`unexpected "${tok.v}"`);
  };
  const power = (): Expr => {
    const base = primary();
    if (isOp('^')) {
      pos++;
      return { kind: 'binary', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const unary = (): Expr => {
    if (isOp('-') || isOp('+') || isOp('!')) {
      const op = (peek() as { v: string }).v as '-' | '+' | '!';
      pos++;
      return { kind: 'unary', op, arg: unary() };
    }
    return power();
  };
  const binaryLevel = (next: () => Expr, ops: string[]) => (): Expr => {
    let left = next();
    for (let tok = peek(); tok?.t === 'op' && ops.includes(tok.v); tok = peek()) {
      const op = tok.v;
      pos++;
      left = { kind: 'binary', op, left, right: next() };
    }
    return left;
  };
  const mult = binaryLevel(unary, ['*', '/']);
  const add = binaryLevel(mult, ['+', '-']);
  const cmp = binaryLevel(add, ['=', '==', '!=', '<>', '<', '<=', '>', '>=']);
  const and = binaryLevel(cmp, ['&&']);
  const expr = binaryLevel(and, ['||']);

  const tree = expr();
  if (pos < toks.length) fail(`unexpected "${String(toks[pos].v)}"`);
  return tree;
}

/** Every summary a formula reads, so the runner fetches and aggregates them. */
export function summaryRefs(e: Expr): SummaryRef[] {
  switch (e.kind) {
    case 'ref':
    case 'parent':
      return [e.ref];
    case 'unary':
      return summaryRefs(e.arg);
    case 'binary':
      return [...summaryRefs(e.left), ...summaryRefs(e.right)];
    case 'call':
      return e.args.flatMap(summaryRefs);
    default:
      return [];
  }
}

export type Value = number | boolean | null;

export interface FormulaContext {
  summary(ref: SummaryRef): number | null;
  parent(ref: SummaryRef, levels: string[]): number | null;
}

/** Evaluates a parsed formula; division by zero and blank operands give null (Salesforce shows #Error! / blank). */
export function evaluate(e: Expr, ctx: FormulaContext): Value {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'ref':
      return ctx.summary(e.ref);
    case 'parent':
      return ctx.parent(e.ref, e.levels);
    case 'unary': {
      const v = evaluate(e.arg, ctx);
      if (e.op === '!') return v === null ? null : !truthy(v);
      if (typeof v !== 'number') return null;
      return e.op === '-' ? -v : v;
    }
    case 'binary': {
      if (e.op === '&&' || e.op === '||') {
        const l = evaluate(e.left, ctx);
        const r = evaluate(e.right, ctx);
        if (l === null || r === null) return null;
        return e.op === '&&' ? truthy(l) && truthy(r) : truthy(l) || truthy(r);
      }
      const l = evaluate(e.left, ctx);
      const r = evaluate(e.right, ctx);
      if (typeof l !== 'number' || typeof r !== 'number') return null;
      switch (e.op) {
        case '+':
          return l + r;
        case '-':
          return l - r;
        case '*':
          return l * r;
        case '/':
          return r === 0 ? null : l / r;
        case '^':
          return Math.pow(l, r);
        case '=':
        case '==':
          return l === r;
        case '!=':
        case '<>':
          return l !== r;
        case '<':
          return l < r;
        case '<=':
          return l <= r;
        case '>':
          return l > r;
        case '>=':
          return l >= r;
        default:
          return null;
      }
    }
    case 'call': {
      const a = e.args;
      const need = (n: number) => {
        if (a.length !== n) throw new ReportMetadataError(`${e.fn} takes ${n} arguments`);
      };
      switch (e.fn) {
        case 'IF': {
          need(3);
          const c = evaluate(a[0], ctx);
          if (c === null) return null;
          return evaluate(truthy(c) ? a[1] : a[2], ctx);
        }
        case 'BLANKVALUE':
        case 'NULLVALUE': {
          need(2);
          const v = evaluate(a[0], ctx);
          return v === null ? evaluate(a[1], ctx) : v;
        }
        case 'ROUND': {
          need(2);
          const v = evaluate(a[0], ctx);
          const d = evaluate(a[1], ctx);
          return typeof v === 'number' && typeof d === 'number' ? roundHalfUp(v, d) : null;
        }
        case 'ABS': {
          need(1);
          const v = evaluate(a[0], ctx);
          return typeof v === 'number' ? Math.abs(v) : null;
        }
        case 'MAX':
        case 'MIN': {
          const vs = a.map((x) => evaluate(x, ctx));
          if (vs.some((v) => typeof v !== 'number')) return null;
          return e.fn === 'MAX' ? Math.max(...(vs as number[])) : Math.min(...(vs as number[]));
        }
        case 'AND':
        case 'OR': {
          const vs = a.map((x) => evaluate(x, ctx));
          if (vs.some((v) => v === null)) return null;
          return e.fn === 'AND' ? vs.every(truthy) : vs.some(truthy);
        }
        case 'NOT': {
          need(1);
          const v = evaluate(a[0], ctx);
          return v === null ? null : !truthy(v);
        }
        default:
          return null;
      }
    }
  }
}

function truthy(v: Value): boolean {
  return typeof v === 'number' ? v !== 0 : v === true;
}

/** Rounds half away from zero to `digits` decimals (how Salesforce displays numbers). */
export function roundHalfUp(v: number, digits: number): number {
  const f = Math.pow(10, digits);
  const r = (Math.sign(v) * Math.round(Math.abs(v) * f * (1 + Number.EPSILON))) / f;
  return Object.is(r, -0) ? 0 : r;
}
