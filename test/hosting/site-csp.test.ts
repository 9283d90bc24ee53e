import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../lib/hosting/static-site-api';
import { ROOT } from '../support/config';

// The sample site (site/) must work under the Content-Security-Policy every response carries.
// Its HTML is read with Python's standard html.parser (the test tools' .venv), which reports
// each element and attribute with its line; this file only decides what the policy allows.

const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
const SITE = path.join(ROOT, 'site');

/** What a page asks the browser to run or fetch. */
interface Finding {
  readonly file: string;
  readonly line: number;
  /** The CSP directive that governs it. */
  readonly directive: string;
  /** Code in the page itself (an inline script or style), rather than a fetch of `detail`. */
  readonly inline: boolean;
  readonly detail: string;
}

const SCAN = String.raw`
import json, sys
from html.parser import HTMLParser

FETCHES = {  # (tag, attribute) -> directive, for fetches CSP governs
    ('script', 'src'): 'script-src', ('img', 'src'): 'img-src', ('img', 'srcset'): 'img-src',
    ('source', 'src'): 'media-src', ('source', 'srcset'): 'img-src', ('video', 'src'): 'media-src',
    ('audio', 'src'): 'media-src', ('video', 'poster'): 'img-src', ('iframe', 'src'): 'frame-src',
    ('frame', 'src'): 'frame-src', ('object', 'data'): 'object-src', ('embed', 'src'): 'object-src',
    ('form', 'action'): 'form-action', ('base', 'href'): 'base-uri', ('input', 'src'): 'img-src',
}
LINKS = {'stylesheet': 'style-src', 'icon': 'img-src', 'preload': 'default-src', 'manifest': 'manifest-src'}

class Scan(HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.found = name, []

    def add(self, directive, detail, inline=False):
        self.found.append({'file': self.name, 'line': self.getpos()[0], 'directive': directive,
                           'inline': inline, 'detail': detail})

    def handle_starttag(self, tag, attrs):
        attrs = [(k, v or '') for k, v in attrs]
        if tag == 'script' and not dict(attrs).get('src'):
            self.add('script-src', '<script> element', inline=True)
        if tag == 'style':
            self.add('style-src', '<style> element', inline=True)
        for key, value in attrs:
            if key == 'style':
                self.add('style-src', f'style attribute on <{tag}>', inline=True)
            if key.startswith('on'):
                self.add('script-src', f'{key} handler on <{tag}>', inline=True)
            if value.strip().lower().startswith('javascript:'):
                self.add('script-src', f'javascript: URL in {key} of <{tag}>', inline=True)
            if (tag, key) in FETCHES:
                for url in value.split(',') if key == 'srcset' else [value]:
                    self.add(FETCHES[tag, key], url.strip().split(' ')[0])
        if tag == 'link':
            rels, href = dict(attrs).get('rel', '').lower().split(), dict(attrs).get('href', '')
            for rel in rels:
                if rel in LINKS:
                    self.add(LINKS[rel], href)

found = []
for name in sys.argv[1:]:
    scan = Scan(name)
    with open(name, encoding='utf-8') as f:
        scan.feed(f.read())
    scan.close()
    found += scan.found
print(json.dumps(found))
`;

function scan(files: string[]): Finding[] {
  const result = spawnSync(PYTHON, ['-c', SCAN, ...files], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the HTML scan did not run: ${result.stderr || result.error}`);
  return JSON.parse(result.stdout);
}

/** The policy's directives and their sources (CSP's grammar: `;`-separated, whitespace within). */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

/**
 * Whether the policy lets the page have `finding`. Fetch directives fall back to default-src;
 * base-uri and form-action do not (CSP Level 3); a directive absent without fallback restricts
 * nothing. Inline code needs 'unsafe-inline'; a fetch of a relative URL needs 'self', of an
 * absolute one a matching host source.
 */
function allowed(policy: Map<string, string[]>, finding: Finding): boolean {
  const fallsBack = !['base-uri', 'form-action', 'frame-ancestors'].includes(finding.directive);
  const sources = policy.get(finding.directive) ?? (fallsBack ? policy.get('default-src') : undefined);
  if (!sources) return true;
  if (finding.inline) return sources.includes("'unsafe-inline'");
  const url = finding.detail;
  const relative = !/^[a-z][a-z0-9+.-]*:/i.test(url) && !url.startsWith('//');
  if (relative) return sources.includes("'self'") || sources.includes('*');
  return sources.some((s) => s === '*' || (!s.startsWith("'") && url.startsWith(s)));
}

/** Everything in `files` that the policy would block, as readable lines. */
function violations(files: string[], policy: string): string[] {
  const parsed = directives(policy);
  return scan(files)
    .filter((f) => !allowed(parsed, f))
    .map((f) => `${path.basename(f.file)}:${f.line}: ${f.directive}: ${f.inline ? 'inline ' : ''}${f.detail}`);
}

const pages = fs
  .readdirSync(SITE)
  .filter((f) => f.endsWith('.html'))
  .map((f) => path.join(SITE, f));

test('the sample site has pages to check', () => {
  expect(pages.map((p) => path.basename(p)).sort()).toEqual(['index.html', 'projects.html']);
});

test('no page of the sample site runs or fetches anything the CSP would block', () => {
  expect(violations(pages, CONTENT_SECURITY_POLICY)).toEqual([]);
});

test('the sample site fetches only its own stylesheet', () => {
  const fetches = scan(pages).map((f) => `${path.basename(f.file)}: ${f.directive} ${f.inline} ${f.detail}`);
  expect(fetches).toEqual(['index.html: style-src false style.css', 'projects.html: style-src false style.css']);
});

test('the stylesheet fetches nothing (no url(), no @import) that would need another directive', () => {
  expect(fs.readFileSync(path.join(SITE, 'style.css'), 'utf8')).not.toMatch(/url\s*\(|@import/i);
});

describe('the check itself', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-csp-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('catches inline script and style, handlers, javascript: URLs and foreign fetches', () => {
    const page = path.join(dir, 'bad.html');
    fs.writeFileSync(
      page,
      [
        '<!doctype html><html><head>',
        '<link rel="stylesheet" href="https://cdn.example.net/x.css">',
        '<style>p { color: red }</style>',
        '<script>alert(1)</script>',
        '<script src="app.js"></script>',
        '</head><body onload="go()">',
        '<p style="margin: 0"><a href="javascript:void(0)">x</a></p>',
        '<img src="me.png"><img src="https://img.example.net/a.png">',
        '<form action="/send"></form>',
        '</body></html>',
      ].join('\n'),
    );
    expect(violations([page], CONTENT_SECURITY_POLICY)).toEqual([
      'bad.html:2: style-src: https://cdn.example.net/x.css',
      'bad.html:3: style-src: inline <style> element',
      'bad.html:4: script-src: inline <script> element',
      'bad.html:5: script-src: app.js',
      'bad.html:6: script-src: inline onload handler on <body>',
      'bad.html:7: style-src: inline style attribute on <p>',
      'bad.html:7: script-src: inline javascript: URL in href of <a>',
      'bad.html:8: img-src: https://img.example.net/a.png',
      'bad.html:9: form-action: /send',
    ]);
  });

  test("follows the policy: 'unsafe-inline' and host sources allow, a missing directive restricts nothing", () => {
    const page = path.join(dir, 'allowed.html');
    fs.writeFileSync(page, '<link rel="stylesheet" href="https://cdn.example.net/x.css"><p style="x">y</p>');
    expect(violations([page], '')).toEqual([]);
    expect(violations([page], "default-src 'none'; style-src 'unsafe-inline' https://cdn.example.net/")).toEqual([]);
    expect(violations([page], "default-src 'self'")).toEqual([
      'allowed.html:1: style-src: https://cdn.example.net/x.css',
      'allowed.html:1: style-src: inline style attribute on <p>',
    ]);
  });
});
