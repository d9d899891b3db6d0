import {
  Kind,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode
} from 'graphql';
import { MAX_GRAPHQL_SELECTIONS } from '../bounds';
import { Aborted, errorEntry, GraphqlErrorEntry, Invalid } from './errors';
import { ownValue } from '../ownValue';

/**
 * Reads a parsed GraphQL document: picks the operation, binds its variables, evaluates arguments and
 * @include/@skip, and walks selection sets with their fragments. Problems are `Invalid` errors; those
 * found while walking a selection are collected in `errors`, so one answer names them all.
 */
export class DocumentReader {
  readonly errors: GraphqlErrorEntry[] = [];
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  // no prototype: a variable named `constructor` or `__proto__` is an entry like any other, never an inherited member
  private vars = Object.create(null) as Record<string, unknown>;
  /** Field selections walked so far, fragments expanded (bounded: a few fragments can spread into millions). */
  private selections = 0;

  constructor(
    private readonly doc: DocumentNode,
    private readonly given: Record<string, unknown>
  ) {
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  /**
   * Refuses a document whose fragments spread each other in a cycle, as graphql-java's
   * NoFragmentCycles rule does ("Validation error (FragmentCycle@[…]) : Fragment cycles not
   * allowed"); walked with explicit stacks, so a long chain of fragments cannot exhaust the stack.
   */
  checkFragmentCycles(): void {
    const spreads = new Map<string, string[]>();
    for (const [name, frag] of this.fragments) {
      const names: string[] = [];
      const sets: SelectionSetNode[] = [frag.selectionSet];
      for (let set = sets.pop(); set; set = sets.pop()) {
        for (const sel of set.selections) {
          if (sel.kind === Kind.FRAGMENT_SPREAD) names.push(sel.name.value);
          else if (sel.selectionSet) sets.push(sel.selectionSet);
        }
      }
      spreads.set(name, names);
    }
    const done = new Set<string>();
    for (const start of this.fragments.keys()) {
      if (done.has(start)) continue;
      const onPath = new Set<string>([start]);
      const stack: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const children = spreads.get(top.name) ?? [];
        if (top.next >= children.length) {
          stack.pop();
          onPath.delete(top.name);
          done.add(top.name);
          continue;
        }
        const child = children[top.next++];
        if (onPath.has(child)) {
          throw new Invalid(`Validation error (FragmentCycle@[${child}]) : Fragment cycles not allowed`, this.fragments.get(child));
        }
        if (done.has(child) || !this.fragments.has(child)) continue;
        onPath.add(child);
        stack.push({ name: child, next: 0 });
      }
    }
  }

  operation(name: string | undefined): OperationDefinitionNode {
    const ops = this.doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const op = name === undefined ? (ops.length === 1 ? ops[0] : undefined) : ops.find((o) => o.name?.value === name);
    if (!op) {
      const why = name === undefined ? 'the document has several operations and no operationName' : `no operation named '${name}'`;
      throw new Invalid(`Unable to determine the operation to run: ${why}`, undefined, 'OperationNotSupported');
    }
    if (op.operation !== 'query') {
      throw new Invalid(`The local org's GraphQL endpoint supports queries only, not ${op.operation}s (no uiapi mutations)`, op);
    }
    return op;
  }

  bindVariables(op: OperationDefinitionNode): void {
    for (const def of op.variableDefinitions ?? []) {
      const name = def.variable.name.value;
      let value = ownValue(this.given, name);
      if (value === undefined && def.defaultValue) value = valueFromASTUntyped(def.defaultValue);
      if ((value === undefined || value === null) && def.type.kind === Kind.NON_NULL_TYPE) {
        throw new Invalid(`Variable '${name}' has an invalid value: null (it is required)`, def);
      }
      this.vars[name] = value ?? null; // eslint-disable-line security/detect-object-injection -- vars has no prototype (above)
    }
  }

  protected arg(field: FieldNode, name: string): unknown {
    const a = field.arguments?.find((x) => x.name.value === name);
    if (!a) return undefined;
    if (a.value.kind === Kind.VARIABLE && !(a.value.name.value in this.vars)) {
      throw new Invalid(`Variable '${a.value.name.value}' is not defined by the operation`, a.value);
    }
    return valueFromASTUntyped(a.value, this.vars);
  }

  private included(directives: readonly DirectiveNode[] | undefined): boolean {
    for (const d of directives ?? []) {
      const name = d.name.value;
      if (name === 'include' || name === 'skip') {
        const a = d.arguments?.find((x) => x.name.value === 'if');
        const v = a ? valueFromASTUntyped(a.value, this.vars) : undefined;
        if (typeof v !== 'boolean') throw new Invalid(`@${name} needs a boolean 'if' argument`, d);
        if ((name === 'include') !== v) return false;
      } else if (name !== 'category' && name !== 'optional') {
        throw new Invalid(`Directive '@${name}' is not supported by the local org's GraphQL endpoint`, d);
      }
    }
    return true;
  }

  /**
   * The fields of a selection set on `typeName` (fragments spread and inline fragments whose type
   * condition matches are merged in), each planned by `plan`; errors are collected, not thrown, so
   * one answer names every problem.
   */
  selection<T>(
    set: SelectionSetNode,
    typeName: string,
    plan: (f: FieldNode) => T | undefined,
    typeNames: string[] = [typeName],
    fragmentsOnly = false
  ): T[] {
    const out: T[] = [];
    const walk = (s: SelectionSetNode, seen: Set<string>, top: boolean) => {
      for (const sel of s.selections) {
        if (!this.included(sel.directives)) continue;
        if (sel.kind === Kind.FIELD) {
          if (top && fragmentsOnly) continue;
          if (++this.selections > MAX_GRAPHQL_SELECTIONS) {
            throw new Aborted(
              `The query selects more than ${MAX_GRAPHQL_SELECTIONS} fields (fragments expanded); the local org's GraphQL endpoint answers at most ${MAX_GRAPHQL_SELECTIONS} per request`,
              sel
            );
          }
          try {
            const p = plan(sel);
            if (p !== undefined) out.push(p);
          } catch (e) {
            if (!(e instanceof Invalid) || e instanceof Aborted) throw e;
            this.errors.push(errorEntry(e));
          }
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          const cond = sel.typeCondition?.name.value;
          if (cond === undefined || typeNames.includes(cond)) walk(sel.selectionSet, seen, false);
        } else {
          const frag = this.fragments.get(sel.name.value);
          if (!frag) {
            this.errors.push(errorEntry(new Invalid(`Undefined fragment '${sel.name.value}'`, sel)));
            continue;
          }
          if (seen.has(frag.name.value)) continue;
          if (typeNames.includes(frag.typeCondition.name.value)) walk(frag.selectionSet, new Set([...seen, frag.name.value]), false);
        }
      }
    };
    walk(set, new Set(), true);
    return out;
  }
}
