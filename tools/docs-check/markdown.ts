/**
 * Just enough Markdown for the docs check: headings, fenced code blocks, inline code and links,
 * each with its line number. Fenced blocks are opaque: nothing inside them counts as a heading or
 * a link.
 */
export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly line: number;
  /** GitHub's anchor for the heading. */
  readonly slug: string;
}

export interface CodeBlock {
  /** The info string's first word; '' when the fence has none. */
  readonly lang: string;
  /** Line number of the opening fence. */
  readonly line: number;
  readonly lines: readonly string[];
}

export interface Span {
  readonly text: string;
  readonly line: number;
}

export interface MarkdownDoc {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly lines: readonly string[];
  readonly headings: readonly Heading[];
  readonly codeBlocks: readonly CodeBlock[];
  readonly inlineCode: readonly Span[];
  /** Link targets, as written. */
  readonly links: readonly Span[];
  /** Prose lines (outside code blocks), with their numbers. */
  readonly prose: readonly Span[];
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const INLINE_CODE = /(`+)(.+?)\1/g;
const LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

export function parseMarkdown(docPath: string, source: string): MarkdownDoc {
  const lines = source.split(/\r?\n/);
  const headings: Heading[] = [];
  const codeBlocks: CodeBlock[] = [];
  const inlineCode: Span[] = [];
  const links: Span[] = [];
  const prose: Span[] = [];
  const slugs = new Map<string, number>();

  let open: { fence: string; lang: string; line: number; lines: string[] } | undefined;
  lines.forEach((text, i) => {
    const line = i + 1;
    const fence = FENCE.exec(text);
    if (open) {
      if (fence && fence[1][0] === open.fence[0] && fence[1].length >= open.fence.length && fence[2] === '') {
        codeBlocks.push({ lang: open.lang, line: open.line, lines: open.lines });
        open = undefined;
      } else {
        open.lines.push(text);
      }
      return;
    }
    if (fence) {
      open = { fence: fence[1], lang: fence[2].toLowerCase(), line, lines: [] };
      return;
    }
    prose.push({ text, line });
    const heading = HEADING.exec(text);
    if (heading) {
      const headingText = heading[2];
      headings.push({ level: heading[1].length, text: headingText, line, slug: uniqueSlug(headingText, slugs) });
    }
    for (const m of text.matchAll(INLINE_CODE)) inlineCode.push({ text: m[2].trim(), line });
    for (const m of text.replace(INLINE_CODE, '').matchAll(LINK)) links.push({ text: m[1], line });
  });
  if (open) {
    // An unclosed fence swallows the rest of the file; report it as a block so rules see it.
    codeBlocks.push({ lang: open.lang, line: open.line, lines: open.lines });
  }
  return { path: docPath, lines, headings, codeBlocks, inlineCode, links, prose };
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
export function slugify(text: string): string {
  return text
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function uniqueSlug(text: string, seen: Map<string, number>): string {
  const base = slugify(text);
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
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
  return tops.map((heading, i) => {
    const endLine = i + 1 < tops.length ? tops[i + 1].line - 1 : doc.lines.length;
    const headingLines = new Set(doc.headings.map((h) => h.line));
    // Lines heading.line+1 .. endLine (1-based); sub-headings are structure, not content.
    const contentLines = doc.lines
      .slice(heading.line, endLine)
      .filter((l, i) => l.trim() !== '' && !headingLines.has(heading.line + 1 + i)).length;
    const codeBlocks = doc.codeBlocks.filter((b) => b.line > heading.line && b.line <= endLine);
    return { heading, contentLines, codeBlocks, endLine };
  });
}
