import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../project';
import { buildProgram } from '../program';

/**
 * Test helper: finds the command lines the CLI prints as advice — help examples, hints, "Next: …" lines —
 * and checks that each runs as printed: `npx closed-loop …` through the real commander parser,
 * `npx sf …` against the sf CLI's own command and flag list (the oclif manifests of @salesforce/cli and
 * its plugins in node_modules, so offline).
 *
 * Where a command line ends in prose is decided the way a shell user reads it: command words, then
 * flags (each known to the command, with its value), then as many positional arguments as the command
 * takes; the first word after that is prose again ("…, then run npx closed-loop org setup again").
 */

/** Stands for a `${…}` of a template literal: a flag value when it follows a flag that takes one, else nothing. */
export const HOLE = '\u0001';

export interface Advice {
  /** where it was found: a help page, a source file and line, a hint */
  where: string;
  /** the command line as extracted (holes shown as <value>) */
  line: string;
  /** what is wrong with it, or undefined */
  problem?: string;
}

// ---- extraction ---------------------------------------------------------------------------------------

const START = /(^|[^\w./@-])((?:npx\s+)?)(closed-loop|sf)[ \t]+(?=\S)/g;
const STOP_TOKENS = new Set(['|', '||', '&&', ';', '>', '>>', '<', '2>&1', '#', '&', '\\']);

interface Token {
  text: string;
  /** prose resumes after this token (it ended with `,` `)` `.` …) */
  last: boolean;
}

/** Shell-like words: quotes kept together (and removed), trailing punctuation ends the command. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[ \t]/.test(text[i])) i++;
    if (i >= text.length || text[i] === '\n' || text[i] === '\r') break;
    let word = '';
    let quoted = false;
    while (i < text.length && !/[\s]/.test(text[i])) {
      const c = text[i];
      if (c === '"' || c === "'") {
        const end = text.indexOf(c, i + 1);
        if (end < 0) return out; // an unbalanced quote: prose
        word += text.slice(i + 1, end);
        quoted = true;
        i = end + 1;
        continue;
      }
      if (c === '`') return [...out, ...(word ? [{ text: word, last: true }] : [])];
      word += c;
      i++;
    }
    if (STOP_TOKENS.has(word)) break;
    if (!quoted && /^[([]?</.test(word) === false && /^[(]/.test(word)) break;
    let last = false;
    if (!quoted) {
      // `[--watch]` (an optional flag in a usage line) is the flag
      if (/^\[.*\]$/.test(word)) word = word.slice(1, -1);
      // "… --help)." ends the command; "2026-01-01..2026-03-31" and "reports.html" do not
      const m = /^(.*?[^.])([),;:.]+)$/.exec(word);
      if (m) {
        word = m[1];
        last = true;
      }
    }
    out.push({ text: word, last });
    if (last) break;
  }
  return out;
}

export interface Candidate {
  npx: boolean;
  tool: 'closed-loop' | 'sf';
  tokens: Token[];
}

/** Every `closed-loop …` / `sf …` (with or without npx) in a text, as the words after the tool name. */
export function candidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const line of text.split('\n')) {
    // commander's "Usage: closed-loop report [options] [name]" is a synopsis, not a command line
    if (/^Usage: /.test(line)) continue;
    for (const m of line.matchAll(START)) {
      const rest = line.slice((m.index ?? 0) + m[0].length);
      out.push({ npx: m[2] !== '', tool: m[3] as Candidate['tool'], tokens: tokenize(rest) });
    }
  }
  return out;
}

/** Every string a TypeScript file can print: string and template literals (`${…}` as HOLE), `+` chains joined. */
export function stringsOf(file: string): Array<{ line: number; text: string }> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Array<{ line: number; text: string }> = [];
  const literal = (node: ts.Node): string | undefined => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => HOLE + s.literal.text).join('');
    if (ts.isParenthesizedExpression(node)) return literal(node.expression);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const l = literal(node.left);
      const r = literal(node.right);
      if (l !== undefined || r !== undefined) return (l ?? HOLE) + (r ?? HOLE);
    }
    return undefined;
  };
  const visit = (node: ts.Node): void => {
    const text = literal(node);
    if (text !== undefined && !(ts.isStringLiteral(node) && ts.isImportDeclaration(node.parent))) {
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
    }
    // children too: a `${…}` may hold a template of its own
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

// ---- closed-loop: the real commander program -------------------------------------------------------------

function findOption(cmd: Command, flag: string): Option | undefined {
  return cmd.options.find((o) => o.long === flag || o.short === flag || (o.negate && o.long === flag));
}

function subcommandOf(cmd: Command, name: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
}

/** The argv a printed `closed-loop …` line stands for, or a problem. */
function closedLoopArgv(tokens: Token[]): { argv: string[]; command?: Command; skip?: string; problem?: string } {
  let cmd: Command = buildProgram();
  const argv: string[] = [];
  let i = 0;
  const words = tokens.map((t) => t.text);
  for (; i < words.length; i++) {
    const w = words[i].split(HOLE).join('');
    const sub = subcommandOf(cmd, w);
    if (!sub) break;
    argv.push(w);
    cmd = sub;
    if (tokens[i].last) return { argv, command: cmd };
  }
  if (i < words.length && /^<[^>]*>$/.test(words[i])) return { argv, skip: `placeholder command ${words[i]}` };
  if (cmd.commands.length > 0 && argv.length > 0 && i < words.length && !words[i].startsWith('-')) {
    return { argv, problem: `"${argv.join(' ')}" has no subcommand "${words[i]}"` };
  }
  if (argv.length === 0) return { argv, skip: 'not a command' };
  let positional = 0;
  const args = cmd.registeredArguments;
  for (; i < words.length; i++) {
    const raw = words[i];
    if (raw === HOLE) continue;
    if (raw.startsWith('-') && raw !== '-') {
      const [flag, inline] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
      const help = flag === '--help' || flag === '-h';
      const opt = findOption(cmd, flag);
      if (!opt && !help) return { argv, problem: `unknown flag ${flag} for "closed-loop ${commandPath(cmd)}"` };
      argv.push(raw.split(HOLE).join('X'));
      if (opt && (opt.required || opt.optional) && inline === undefined) {
        const value = words[i + 1];
        if (value === undefined || tokens[i].last || (value.startsWith('-') && !/^-\d/.test(value))) {
          if (opt.optional) continue;
          return { argv, problem: `${flag} needs a value` };
        }
        argv.push(value === HOLE ? 'X' : value.split(HOLE).join('X'));
        i++;
        if (tokens[i].last) break;
      }
      if (tokens[i].last) break;
      continue;
    }
    const arg = args[positional];
    if (!arg) break; // prose
    argv.push(raw.split(HOLE).join('X'));
    if (!arg.variadic) positional++;
    if (tokens[i].last) break;
  }
  return { argv, command: cmd };
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Parses argv with the real program, every action replaced by a no-op: commander's own errors, the flags' own parsers. */
export async function parseWithCommander(argv: string[]): Promise<string | undefined> {
  const program = buildProgram();
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of all(program)) {
    c.exitOverride();
    c.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
    if (c.commands.length === 0) c.action(() => {});
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return undefined;
  } catch (err) {
    if (err instanceof CommanderError && (err.code === 'commander.helpDisplayed' || err.code === 'commander.help')) return undefined;
    return err instanceof Error ? err.message : String(err);
  }
}

// ---- sf: the oclif manifests ---------------------------------------------------------------------------

interface SfFlag {
  name: string;
  type: 'boolean' | 'option';
  char?: string;
  aliases?: string[];
  charAliases?: string[];
  allowNo?: boolean;
}

interface SfCommand {
  id: string;
  flags: SfFlag[];
  args: number;
  strict: boolean;
}

let sfCommandsCache: Map<string, SfCommand> | undefined;

/** Every sf command (ids with spaces: `org login web`) from the manifests of @salesforce/cli and its plugins. */
export function sfCommands(): Map<string, SfCommand> {
  if (sfCommandsCache) return sfCommandsCache;
  // the package exports only dist/index.js: its folder is two up from there
  const cliDir = path.join(path.dirname(require.resolve('@salesforce/cli', { paths: [PROJECT_ROOT] })), '..');
  const pkg = JSON.parse(fs.readFileSync(path.join(cliDir, 'package.json'), 'utf8')) as { oclif: { plugins: string[] } };
  const manifests = [path.join(cliDir, 'oclif.manifest.json')];
  for (const plugin of pkg.oclif.plugins) {
    for (const base of [path.join(cliDir, 'node_modules'), path.join(PROJECT_ROOT, 'node_modules')]) {
      const file = path.join(base, plugin, 'oclif.manifest.json');
      if (fs.existsSync(file)) {
        manifests.push(file);
        break;
      }
    }
  }
  const out = new Map<string, SfCommand>();
  for (const file of manifests) {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      commands: Record<
        string,
        { id: string; aliases?: string[]; flags: Record<string, SfFlag>; args?: Record<string, unknown>; strict?: boolean }
      >;
    };
    for (const c of Object.values(m.commands)) {
      const command: SfCommand = {
        id: c.id,
        flags: Object.values(c.flags),
        args: Object.keys(c.args ?? {}).length,
        strict: c.strict !== false
      };
      for (const id of [c.id, ...(c.aliases ?? [])]) out.set(id.split(':').join(' '), command);
    }
  }
  sfCommandsCache = out;
  return out;
}

function sfTopics(): Set<string> {
  return new Set([...sfCommands().keys()].map((id) => id.split(' ')[0]));
}

function checkSf(tokens: Token[]): { problem?: string; skip?: string; line: string } {
  const words = tokens.map((t) => t.text);
  const commands = sfCommands();
  let id = '';
  let n = 0;
  for (let k = 1; k <= Math.min(4, words.length); k++) {
    const candidate = words.slice(0, k).join(' ');
    if (commands.has(candidate)) {
      id = candidate;
      n = k;
    }
    if (tokens[k - 1].last) break;
  }
  if (!id) {
    if (/^<[^>]*>$/.test(words[0] ?? '')) return { skip: 'placeholder', line: words.join(' ') };
    return { problem: `sf has no command "${words.slice(0, 3).join(' ')}"`, line: words.join(' ') };
  }
  const cmd = commands.get(id)!;
  const used = [...words.slice(0, n)];
  let args = 0;
  for (let i = n; i < words.length && !tokens[i - 1]?.last; i++) {
    const raw = words[i];
    if (raw === HOLE) continue;
    if (raw.startsWith('-') && raw !== '-') {
      const long = raw.startsWith('--');
      const name = (long ? raw.slice(2) : raw.slice(1)).split('=')[0];
      const inline = raw.includes('=');
      const flag = cmd.flags.find((f) =>
        long
          ? f.name === name || f.aliases?.includes(name) || (f.allowNo && `no-${f.name}` === name)
          : f.char === name || f.charAliases?.includes(name) || f.aliases?.includes(name)
      );
      used.push(raw);
      if (!flag) return { problem: `sf ${id} has no flag ${raw.split('=')[0]}`, line: used.join(' ') };
      if (flag.type === 'option' && !inline) {
        const value = words[i + 1];
        if (value === undefined || tokens[i].last || value.startsWith('-'))
          return { problem: `${raw} needs a value`, line: used.join(' ') };
        used.push(value === HOLE ? '<value>' : value);
        i++;
      }
      continue;
    }
    if (args >= cmd.args && cmd.strict) break; // prose
    args++;
    used.push(raw);
  }
  return { line: used.join(' ') };
}

// ---- checking ------------------------------------------------------------------------------------------

/** Checks every command line in `text`; `where` says where the text came from. */
export async function checkText(text: string, where: string): Promise<Advice[]> {
  const out: Advice[] = [];
  for (const c of candidates(text)) {
    const shown = (words: string[]) => words.join(' ').split(HOLE).join('<value>');
    if (c.tool === 'sf') {
      // "the sf CLI", "sf's message": only sf followed by one of its topics is a command line
      if (!sfTopics().has(c.tokens[0]?.text ?? '')) continue;
      const r = checkSf(c.tokens);
      if (r.skip) continue;
      const line = `${c.npx ? 'npx ' : ''}sf ${shown([r.line])}`;
      const problem = !c.npx ? 'bare sf: only npx sf runs in a clone (the project pins its own sf CLI)' : r.problem;
      out.push({ where, line, problem });
      continue;
    }
    const r = closedLoopArgv(c.tokens);
    if (r.skip) continue;
    const line = `${c.npx ? 'npx ' : ''}closed-loop ${shown(r.argv)}`;
    let problem = r.problem;
    if (!problem && !c.npx) problem = 'bare closed-loop: only npx closed-loop (or an npm script) runs it in a clone';
    if (!problem) problem = await parseWithCommander(r.argv);
    out.push({ where, line, problem });
  }
  return out;
}

/** Every non-test TypeScript file under scripts/ whose strings the CLI may print. */
export function printedSources(): string[] {
  const root = path.join(PROJECT_ROOT, 'scripts');
  const skip = new Set(['__tests__', 'testing', 'bench']);
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (e.isDirectory()) return skip.has(e.name) ? [] : walk(path.join(dir, e.name));
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : [];
    });
  return walk(root).sort();
}

/** `--help` of every command, as printed, but wide enough that no command line is wrapped. */
export function helpPages(): Array<{ command: string; text: string }> {
  const out: Array<{ command: string; text: string }> = [];
  const walk = (c: Command) => {
    let text = '';
    c.configureHelp({ ...c.configureHelp(), helpWidth: 10_000 });
    c.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
    c.outputHelp();
    out.push({ command: ['closed-loop', commandPath(c)].filter(Boolean).join(' '), text });
    for (const s of c.commands) walk(s);
  };
  walk(buildProgram());
  return out;
}
