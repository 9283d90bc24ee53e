/**
 * Finds the commands inside a shell code block the way an operator would paste them: continuation
 * lines joined, comments dropped, and each `aws`, `drctl` or `cdk` invocation cut out with its own
 * arguments, including those inside `$( ... )` substitutions.
 *
 * Words, quotes, comments and control operators come from shell-quote. shell-quote does not know
 * command substitution (`$(` is read as `$` and an operator, and a quoted `"$(... "x" ...)"` as
 * three strings), so each substitution is cut out first, parsed on its own, and stands in the outer
 * command as one word.
 */
import { parse, type ParseEntry } from 'shell-quote';

export interface Invocation {
  /** 'aws' | 'drctl' | 'cdk' */
  readonly tool: string;
  /** First word after the tool: the AWS service, or the drctl/cdk command. */
  readonly command: string;
  /** Second word for aws (the operation); '' otherwise. */
  readonly operation: string;
  /** Every word after the tool, quotes removed; a substitution is one word, `$(...)`. */
  readonly args: readonly string[];
  /** The invocation's words (the tool first), joined by spaces. */
  readonly text: string;
  /** Line of the block (1-based, relative to the document) where the logical line starts. */
  readonly line: number;
}

export interface LogicalLine {
  readonly text: string;
  readonly line: number;
}

const TOOLS = new Set(['aws', 'drctl', 'cdk']);
/** Operators that end a command; redirections (`>`, `<`, `>&`, `>>`) do not. */
const COMMAND_END = new Set(['|', '||', '|&', '&&', '&', ';', ';;', '(', ')', '<(']);
const REDIRECT = new Set(['<', '>', '>>', '>&']);

/** Join `\`-continued lines and drop comments; `firstLine` is the document line of the block's first line. */
export function logicalLines(lines: readonly string[], firstLine: number): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const text = stripComment(raw);
    // A comment that ends in `\` continues nothing: the backslash is part of the comment.
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
  const comment = words(line).find((t): t is { comment: string } => typeof t === 'object' && 'comment' in t);
  return comment ? line.slice(0, line.length - comment.comment.length - 1).trimEnd() : line;
}

export function invocations(lines: readonly LogicalLine[]): Invocation[] {
  return lines.flatMap((logical) => invocationsIn(logical.text, logical.line));
}

function invocationsIn(text: string, line: number): Invocation[] {
  const { flat, substitutions } = cutSubstitutions(text);
  const tokens = words(flat);
  const found: Invocation[] = [];
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (
      typeof token !== 'string' ||
      !TOOLS.has(token) ||
      typeof next !== 'string' ||
      !/^[a-z0-9][a-z0-9-]*$/.test(next)
    ) {
      return;
    }
    const args: string[] = [];
    for (let j = i + 1; j < tokens.length; j++) {
      const t = tokens[j];
      if (typeof t === 'object' && 'op' in t && COMMAND_END.has(t.op)) break;
      if (typeof t === 'object' && 'op' in t && REDIRECT.has(t.op)) {
        j++; // the redirection's target is not an argument
        continue;
      }
      const word = wordText(t);
      if (word !== undefined) args.push(expand(word, substitutions));
    }
    found.push({
      tool: token,
      command: args[0] ?? '',
      operation: token === 'aws' ? (args[1] ?? '') : '',
      args,
      text: [token, ...args].join(' '),
      line,
    });
  });
  // Then the commands inside substitutions, in order.
  for (const inner of substitutions) found.push(...invocationsIn(inner, line));
  return found;
}

/** Split into words outside quotes and `$( )`, then drop one level of quotes. */
export function splitWords(text: string): string[] {
  const { flat, substitutions } = cutSubstitutions(text);
  return words(flat)
    .map(wordText)
    .filter((w): w is string => w !== undefined)
    .map((w) => expand(w, substitutions));
}

/** shell-quote's tokens, with `$NAME` and `${NAME}` kept as written rather than expanded to ''. */
function words(text: string): ParseEntry[] {
  return parse(text, (name) => `$${name}`);
}

function wordText(t: ParseEntry): string | undefined {
  if (typeof t === 'string') return t;
  if ('op' in t && t.op === 'glob') return t.pattern;
  return undefined;
}

const MARK = (n: number) => `__docs_check_substitution_${n}__`;
const MARKS = /__docs_check_substitution_(\d+)__/g;

/** The inner command of a substitution, as one word: `$(aws s3 ls ...)`. */
function expand(word: string, substitutions: readonly string[]): string {
  return word.replace(MARKS, (_, n: string) => `$(${splitWords(substitutions[Number(n)]).join(' ')})`);
}

/**
 * Replace each outermost `$( ... )` (outside single quotes) by a marker word, and return the inner
 * texts. Inside a substitution quoting starts afresh, as in bash: `"$(aws --query "x")"`.
 */
function cutSubstitutions(text: string): { flat: string; substitutions: string[] } {
  const substitutions: string[] = [];
  let flat = '';
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== "'" && c === '$' && text[i + 1] === '(') {
      const end = closingParen(text, i + 2);
      substitutions.push(text.slice(i + 2, end));
      flat += MARK(substitutions.length - 1);
      i = end;
      continue;
    }
    if (quote === '' && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = '';
    flat += c;
  }
  return { flat, substitutions };
}

/** Index of the `)` that closes a substitution whose body starts at `from` (or the text's end). */
function closingParen(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) return i;
  }
  return text.length;
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
