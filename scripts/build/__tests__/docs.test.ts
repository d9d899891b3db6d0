import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../project';
import { runCli } from '../../testing/cli';

/*
 * The documentation is part of the product: the README is the overview (at most 300 lines) and docs/ has one
 * page per topic (see docs/contributing.md). These tests follow every Markdown link the way GitHub renders it —
 * relative files must exist, #anchors must name a heading of the target (GitHub's slugs) — without touching the
 * network, and keep code comments pointing at documents a reader of the repository has.
 */

const README = path.join(PROJECT_ROOT, 'README.md');
const DOCS_DIR = path.join(PROJECT_ROOT, 'docs');
const MAX_README_LINES = 300;

const docsPages = (): string[] =>
  fs
    .readdirSync(DOCS_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => path.join(DOCS_DIR, f));
const markdownFiles = (): string[] => [README, path.join(PROJECT_ROOT, 'CHANGELOG.md'), ...docsPages()];
const rel = (file: string): string => path.relative(PROJECT_ROOT, file).split(path.sep).join('/');
const read = (file: string): string => fs.readFileSync(file, 'utf8');

interface Link {
  line: number;
  url: string;
}

/** The lines of a Markdown file with fenced code blocks blanked (links and headings in code are not links). */
function proseLines(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = null;
      return '';
    }
    if (m) {
      fence = m[1];
      return '';
    }
    return line;
  });
}

/** Inline code spans replaced by placeholders of the same length, so `[a](b)` inside code is not a link. */
const blankCodeSpans = (line: string): string => line.replace(/(`+)(.+?)\1/g, (s) => 'x'.repeat(s.length));

/** Every link target of a Markdown file: inline links and images, reference definitions, autolinks, <a href>. */
function markdownLinks(markdown: string): Link[] {
  const links: Link[] = [];
  proseLines(markdown).forEach((raw, i) => {
    const line = blankCodeSpans(raw);
    const add = (url: string): void => void links.push({ line: i + 1, url });
    for (const m of line.matchAll(/!?\[(?:[^\][]|\[[^\][]*\])*\]\(\s*<?([^\s)>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) add(m[1]);
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line);
    if (def) add(def[1]);
    for (const m of line.matchAll(/<((?:https?|mailto):[^\s>]+)>/g)) add(m[1]);
    for (const m of line.matchAll(/<a\s[^>]*href="([^"]*)"/g)) add(m[1]);
  });
  return links;
}

/** A heading's anchor as GitHub makes it: lowercase, punctuation dropped, each space a hyphen. */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/`/g, '')
    .replace(/\*+/g, '')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file offers: one per heading (repeats get -1, -2, … as on GitHub) and <a id|name>. */
function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const h = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (h) {
      const base = githubSlug(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** Why a link from `file` is broken, or null when it resolves. */
function brokenLink(file: string, url: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    if (url.startsWith('mailto:')) return /^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/.test(url) ? null : 'malformed mailto: link';
    if (!/^https?:\/\//.test(url)) return 'only http(s) and mailto: links are allowed';
    try {
      const u = new URL(url);
      return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(u.hostname) ? null : `malformed host "${u.hostname}"`;
    } catch {
      return 'malformed URL';
    }
  }
  if (url === '') return 'empty link';
  if (url.startsWith('/')) return 'absolute path: link relative to the file instead';
  const hash = url.indexOf('#');
  const target = decodeURIComponent(hash < 0 ? url : url.slice(0, hash));
  const anchor = hash < 0 ? null : decodeURIComponent(url.slice(hash + 1));
  const resolved = target === '' ? file : path.resolve(path.dirname(file), target);
  if (path.relative(PROJECT_ROOT, resolved).startsWith('..')) return 'points outside the repository';
  if (!fs.existsSync(resolved)) return `${rel(resolved)} does not exist`;
  if (anchor === null) return null;
  if (!resolved.endsWith('.md')) return /^L\d+(-L\d+)?$/.test(anchor) ? null : `#${anchor} on a file that is not Markdown`;
  const anchors = markdownAnchors(read(resolved));
  return anchors.has(anchor) ? null : `no heading #${anchor} in ${rel(resolved)} (it has: ${[...anchors].join(', ')})`;
}

describe('documentation', () => {
  it.each(markdownFiles().map((f) => [rel(f), f]))('every link in %s resolves', (_name, file) => {
    const links = markdownLinks(read(file));
    expect(links.length).toBeGreaterThan(0);
    const broken = links.flatMap(({ line, url }) => {
      const why = brokenLink(file, url);
      return why ? [`${rel(file)}:${line}: ${url}: ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it(`the README stays an overview of at most ${MAX_README_LINES} lines, with the two commands`, () => {
    const text = read(README);
    expect(text.split('\n').length).toBeLessThanOrEqual(MAX_README_LINES);
    expect(text).toContain('npm ci && npm start');
    expect(text).toContain('npm ci && npm test');
  });

  it('links every docs/ page from the README, and each page starts with a summary and links back', () => {
    const readmeTargets = new Set(
      markdownLinks(read(README)).map(({ url }) => path.resolve(PROJECT_ROOT, decodeURIComponent(url.split('#')[0])))
    );
    for (const page of docsPages()) {
      expect({ page: rel(page), linkedFromReadme: readmeTargets.has(page) }).toEqual({ page: rel(page), linkedFromReadme: true });
      const lines = read(page).split('\n');
      expect(lines[0]).toMatch(/^# \S/);
      expect(lines[1]).toBe('');
      expect({ page: rel(page), summary: /^(#|\||>|[-*+] |\d+\. |```|~~~|\s|$)/.test(lines[2]) ? lines[2] : 'a paragraph' }).toEqual({
        page: rel(page),
        summary: 'a paragraph'
      });
      const backToReadme = markdownLinks(read(page)).some(({ url }) => url.split('#')[0] === '../README.md');
      expect({ page: rel(page), backToReadme }).toEqual({ page: rel(page), backToReadme: true });
    }
  });

  it('lists the commands in the README table in the order of closed-loop --help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    const commandsSection = help.stdout.slice(help.stdout.indexOf('Commands:'));
    const fromHelp = [...commandsSection.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    const table = read(README)
      .split('\n')
      .filter((l) => /^\| `closed-loop [a-z]/.test(l))
      .map((l) => /^\| `closed-loop ([a-z][a-z-]*)/.exec(l)![1]);
    expect(fromHelp.length).toBeGreaterThan(5);
    expect(table).toEqual(fromHelp);
  });
});

/* ---------------------------------------------------------------------------------------------------------------- */

/** Text files of the source tree whose comments must point at documents the repository has. */
const SOURCE_DIRS = ['scripts', 'force-app', 'e2e', 'config'];
const TEXT_FILE = /\.(ts|js|cjs|mjs|json|html|css|xml|md|txt|yml|yaml|sh)$/;

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(full);
      } else if (TEXT_FILE.test(entry.name)) files.push(full);
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(PROJECT_ROOT, dir));
  for (const entry of fs.readdirSync(PROJECT_ROOT)) {
    if (/\.(js|cjs|mjs|ts)$/.test(entry)) files.push(path.join(PROJECT_ROOT, entry)); // jest.config.js, eslint.config.js
  }
  return files;
}

describe('code comments', () => {
  // Written in two parts so this file does not cite them itself.
  const outsideDocuments = [new RegExp('design ' + '\u00a7'), new RegExp('contracts' + '\\.md')];

  it('cite no document outside the repository (explain in place, or link a docs/ page)', () => {
    const hits = sourceFiles().flatMap((file) =>
      read(file)
        .split('\n')
        .flatMap((line, i) => (outsideDocuments.some((re) => re.test(line)) ? [`${rel(file)}:${i + 1}: ${line.trim()}`] : []))
    );
    expect(hits).toEqual([]);
  });

  it('link docs/ pages and headings that exist', () => {
    const broken = sourceFiles()
      .filter((file) => file !== __filename) // its own examples of broken links below
      .flatMap((file) =>
        read(file)
          .split('\n')
          .flatMap((line, i) =>
            [...line.matchAll(/\bdocs\/([a-z0-9-]+\.md)(?:#([a-z0-9_-]+))?/g)].flatMap((m) => {
              const why = brokenLink(path.join(DOCS_DIR, 'x.md'), m[2] ? `${m[1]}#${m[2]}` : m[1]);
              return why ? [`${rel(file)}:${i + 1}: ${m[0]}: ${why}`] : [];
            })
          )
      );
    expect(broken).toEqual([]);
  });
});

describe('the Markdown helpers of this test', () => {
  it('make anchors as GitHub does', () => {
    expect(githubSlug('Who uses it, and how')).toBe('who-uses-it-and-how');
    expect(githubSlug('The `closed-loop calendar` command')).toBe('the-closed-loop-calendar-command');
    expect(githubSlug('1. Build the package')).toBe('1-build-the-package');
    expect(githubSlug('Local-org-only allowances')).toBe('local-org-only-allowances');
    expect(githubSlug('[0.1.0] - 2026-11-25')).toBe('010---2026-11-25');
    expect(githubSlug('SLA_Policy__mdt → targets')).toBe('sla_policy__mdt--targets');
    expect([...markdownAnchors('# A\n\n## A\n\n```\n# not a heading\n```\n## B ##\n')]).toEqual(['a', 'a-1', 'b']);
  });

  it('find links but not code', () => {
    const md = [
      'See [`x`](a.md#b), ![img](i.png "t") and <https://example.com/x>.',
      '`[not](a link)` and',
      '```',
      '[nor](this)',
      '```',
      '[ref]: https://example.org'
    ].join('\n');
    expect(markdownLinks(md)).toEqual([
      { line: 1, url: 'a.md#b' },
      { line: 1, url: 'i.png' },
      { line: 1, url: 'https://example.com/x' },
      { line: 6, url: 'https://example.org' }
    ]);
  });

  it('tell broken links from good ones', () => {
    expect(brokenLink(README, 'docs/sla-clocks.md#reassignment')).toBeNull();
    expect(brokenLink(README, '#quick-start')).toBeNull();
    expect(brokenLink(README, 'https://keepachangelog.com/en/1.1.0/')).toBeNull();
    expect(brokenLink(README, 'docs/sla-clocks.md#no-such-heading')).toMatch(/no heading #no-such-heading/);
    expect(brokenLink(README, 'docs/nothing.md')).toMatch(/does not exist/);
    expect(brokenLink(README, 'https://exa mple.com')).toMatch(/malformed/);
    expect(brokenLink(README, 'http://localhost')).toMatch(/malformed host/);
    expect(brokenLink(README, 'ftp://example.com/x')).toMatch(/only http/);
  });
});
