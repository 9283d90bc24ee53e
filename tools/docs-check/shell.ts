/**
 * Finds the commands inside a shell code block the way an operator would paste them: continuation
 * lines joined, comments dropped, and each `aws`, `drctl` or `cdk` invocation cut out with its own
 * arguments, including those inside `$( ... )` substitutions.
 */
export interface Invocation {
  /** 'aws' | 'drctl' | 'cdk' */
  readonly tool: string;
  /** First word after the tool: the AWS service, or the drctl/cdk command. */
  readonly command: string;
  /** Second word for aws (the operation); '' otherwise. */
  readonly operation: string;
  /** Every word after the tool, quotes removed. */
  readonly args: readonly string[];
  /** The invocation as written. */
  readonly text: string;
  /** Line of the block (1-based, relative to the document) where the logical line starts. */
  readonly line: number;
}

export interface LogicalLine {
  readonly text: string;
  readonly line: number;
}

/** Join `\`-continued lines and drop comments; `firstLine` is the document line of the block's first line. */
export function logicalLines(lines: readonly string[], firstLine: number): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const text = stripComment(raw);
    const continued = /\\\s*$/.test(text);
    const piece = text.replace(/\\\s*$/, ' ');
    if (pending) pending.text += ' ' + piece.trim();
    else pending = { text: piece, line: firstLine + i };
    if (!continued) {
      if (pending.text.trim() !== '') out.push({ text: pending.text.trim(), line: pending.line });
      pending = undefined;
    }
  });
  if (pending && pending.text.trim() !== '') out.push({ text: pending.text.trim(), line: pending.line });
  return out;
}

/** Remove a `#` comment that starts a word outside quotes. */
export function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line;
}

const TOOL = /(?:^|[\s("'`;|&=])(?:npx\s+)?(aws|drctl|cdk)\s+([a-z0-9][a-z0-9-]*)/g;

export function invocations(lines: readonly LogicalLine[]): Invocation[] {
  const found: Invocation[] = [];
  for (const logical of lines) {
    for (const m of logical.text.matchAll(TOOL)) {
      const start = m.index! + m[0].indexOf(m[1]);
      const text = cutInvocation(logical.text, start);
      const words = splitWords(text).slice(1);
      found.push({
        tool: m[1],
        command: words[0] ?? '',
        operation: m[1] === 'aws' ? (words[1] ?? '') : '',
        args: words,
        text,
        line: logical.line,
      });
    }
  }
  return found;
}

/** From `start`, up to the end of this command: `)`, `|`, `;` or `&&` outside quotes and nesting. */
function cutInvocation(text: string, start: number): string {
  let depth = 0;
  let quote = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return text.slice(start, i).trim();
      depth--;
    } else if (depth === 0 && (c === '|' || c === ';' || (c === '&' && text[i + 1] === '&'))) {
      return text.slice(start, i).trim();
    }
  }
  return text.slice(start).trim();
}

/** Split on whitespace outside quotes and `$( )`, then drop one level of quotes. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  let depth = 0;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote && depth === 0) quote = '';
      else word += c;
      continue;
    }
    if (depth > 0) {
      word += c;
      if (c === '(') depth++;
      else if (c === ')') depth--;
      continue;
    }
    if ((c === '"' || c === "'") && depth === 0) {
      quote = c;
      started = true;
      continue;
    }
    if (c === '$' && text[i + 1] === '(') {
      word += '$(';
      depth = 1;
      i++;
      started = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
      continue;
    }
    word += c;
    started = true;
  }
  if (started) words.push(word);
  return words;
}

/** The value of `--name value` or `--name=value`; undefined when absent. */
export function optionValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1] ?? '';
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** Every `--option` word, without its `=value`. */
export function optionNames(args: readonly string[]): string[] {
  return args.filter((a) => /^--[a-z]/.test(a)).map((a) => a.replace(/=.*$/, ''));
}
