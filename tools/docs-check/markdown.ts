/**
 * The Markdown the docs check reads: headings, fenced code blocks, inline code and links, each with
 * its line number, from a CommonMark + GFM syntax tree (mdast-util-from-markdown with the GFM
 * extension, the parser remark uses), and heading anchors from github-slugger, the algorithm
 * github.com uses. Setext headings, reference links and link definitions count like their inline
 * forms; nothing inside a code block or code span is a heading or a link.
 *
 * The packages are ESM-only: Node 20.19+ and tsx require() them; jest transforms them (see
 * transformIgnorePatterns in jest.config.js).
 */
import GithubSlugger from 'github-slugger';
import type { Heading as MdastHeading, Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

export interface Heading {
  readonly level: number;
  /** The heading's Markdown source, without its `#` marks or setext underline. */
  readonly text: string;
  readonly line: number;
  /** Last line of the heading (the underline of a setext heading). */
  readonly endLine: number;
  /** GitHub's anchor for the heading. */
  readonly slug: string;
}

export interface CodeBlock {
  /** The info string's first word, in lower case; '' when the fence has none. */
  readonly lang: string;
  /** Line number of the opening fence. */
  readonly line: number;
  readonly lines: readonly string[];
}

export interface Span {
  readonly text: string;
  readonly line: number;
}

/** A GFM table row: each cell's text as a reader sees it and the link targets in it. */
export interface TableRow {
  readonly line: number;
  readonly cells: readonly { readonly text: string; readonly links: readonly string[] }[];
}

/** A GFM table: its first row is the header. */
export interface Table {
  readonly line: number;
  readonly rows: readonly TableRow[];
}

export interface MarkdownDoc {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly lines: readonly string[];
  readonly headings: readonly Heading[];
  /** Fenced code blocks (indented code is neither a block the rules read nor prose). */
  readonly codeBlocks: readonly CodeBlock[];
  readonly inlineCode: readonly Span[];
  /** Link and image targets and link definitions' targets, as written. */
  readonly links: readonly Span[];
  /** Prose lines (outside code blocks), with their numbers. */
  readonly prose: readonly Span[];
  readonly tables: readonly Table[];
}

export function parseMarkdown(docPath: string, source: string): MarkdownDoc {
  const lines = source.split(/\r?\n/);
  const tree = parse(source);
  const headings: Heading[] = [];
  const codeBlocks: CodeBlock[] = [];
  const inlineCode: Span[] = [];
  const links: Span[] = [];
  const tables: Table[] = [];
  const codeLines = new Set<number>();
  const slugger = new GithubSlugger();

  const visit = (node: Nodes) => {
    const start = node.position?.start;
    const end = node.position?.end;
    switch (node.type) {
      case 'heading':
        headings.push({
          level: node.depth,
          text: headingSource(node, source),
          line: start!.line,
          endLine: end!.line,
          slug: slugger.slug(plainText(node)),
        });
        break;
      case 'code':
        for (let l = start!.line; l <= end!.line; l++) codeLines.add(l);
        if (isFenced(lines[start!.line - 1])) {
          codeBlocks.push({
            lang: (node.lang ?? '').toLowerCase(),
            line: start!.line,
            lines: node.value === '' ? [] : node.value.split(/\r?\n/),
          });
        }
        return;
      case 'inlineCode':
        inlineCode.push({ text: node.value.trim(), line: start!.line });
        return;
      case 'table':
        tables.push({
          line: start!.line,
          rows: node.children.map((row) => ({
            line: row.position!.start.line,
            cells: row.children.map((cell) => ({ text: plainText(cell).trim(), links: linkTargets(cell) })),
          })),
        });
        break;
      case 'link':
      case 'image':
      case 'definition':
        links.push({ text: node.url, line: start!.line });
        break;
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);

  const prose = lines.map((text, i) => ({ text, line: i + 1 })).filter((l) => !codeLines.has(l.line));
  return { path: docPath, lines, headings, codeBlocks, inlineCode, links, prose, tables };
}

function parse(source: string): Root {
  return fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

const isFenced = (openingLine: string | undefined) => /^\s*(`{3,}|~{3,})/.test(openingLine ?? '');

/** The Markdown between a heading's marks: `Triage: \`drctl status\``, as written. */
function headingSource(node: MdastHeading, source: string): string {
  const first = node.children[0]?.position;
  const last = node.children[node.children.length - 1]?.position;
  if (!first || !last) return '';
  return source.slice(first.start.offset, last.end.offset).trim();
}

/** The text a reader sees: what GitHub slugs (code spans without backticks, links without targets). */
function plainText(node: Nodes): string {
  if ('value' in node && node.type !== 'html') return node.value;
  if (node.type === 'image') return node.alt ?? '';
  return 'children' in node ? node.children.map((c) => plainText(c as Nodes)).join('') : '';
}

function linkTargets(node: Nodes): string[] {
  if (node.type === 'link') return [node.url];
  return 'children' in node ? node.children.flatMap((c) => linkTargets(c as Nodes)) : [];
}

/** GitHub's anchor for a heading written as `text` (without duplicate numbering). */
export function slugify(text: string): string {
  const heading = parse(`# ${text}`).children[0];
  return new GithubSlugger().slug(heading ? plainText(heading) : '');
}

/** The H2 sections of a document: heading and the lines up to the next H2 (code blocks included). */
export interface Section {
  readonly heading: Heading;
  /** Non-blank lines of the section body, prose and code alike. */
  readonly contentLines: number;
  readonly codeBlocks: readonly CodeBlock[];
  readonly endLine: number;
}

export function sections(doc: MarkdownDoc, level = 2): Section[] {
  const tops = doc.headings.filter((h) => h.level === level);
  // Sub-headings (setext underlines included) are structure, not content.
  const headingLines = new Set(doc.headings.flatMap((h) => range(h.line, h.endLine)));
  return tops.map((heading, i) => {
    const endLine = i + 1 < tops.length ? tops[i + 1].line - 1 : doc.lines.length;
    const contentLines = range(heading.endLine + 1, endLine).filter(
      (l) => doc.lines[l - 1].trim() !== '' && !headingLines.has(l),
    ).length;
    const codeBlocks = doc.codeBlocks.filter((b) => b.line > heading.line && b.line <= endLine);
    return { heading, contentLines, codeBlocks, endLine };
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
