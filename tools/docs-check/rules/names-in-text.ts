import type { MarkdownDoc } from '../markdown';
import type { DocOptions, Finding } from '../rule';
import { optionNames, splitWords } from '../shell';

/**
 * `<appName>-...` words, SSM parameters, output keys, handlers and drctl commands in inline code and
 * code blocks are names the app or the CLI has.
 */
export function namesInText(doc: MarkdownDoc, { facts, appName }: DocOptions): Finding[] {
  const found: Finding[] = [];
  const known = (name: string) => facts.stacks.has(name) || facts.alarms.has(name) || facts.names.has(name);
  const physical = new RegExp(`(?<![\\w/.-])${escape(appName)}-[a-z0-9]+(?:-[a-z0-9]+)*(?![\\w-])`, 'g');
  const parameter = new RegExp(`(?<![\\w/])/${escape(appName)}/[a-z0-9-]+`, 'g');
  const allOutputs = new Set([...facts.outputs.values()].flatMap((s) => [...s]));
  const scan = (text: string, line: number, inline: boolean, lineText = text) => {
    for (const m of text.matchAll(physical)) {
      if (!known(m[0])) {
        found.push({
          path: doc.path,
          line,
          rule: 'unknown-name',
          message: `"${m[0]}" is not a stack, alarm or resource name of the app`,
        });
      }
    }
    for (const m of text.matchAll(parameter)) {
      if (!facts.names.has(m[0])) {
        found.push({
          path: doc.path,
          line,
          rule: 'unknown-name',
          message: `"${m[0]}" is not an SSM parameter of the app`,
        });
      }
    }
    if (!inline) return;
    const word = text.trim();
    // In prose, a word like `SiteBucketName` on a line that speaks of outputs claims to be a stack
    // output; elsewhere it may be an API field (`SubscriptionArn`), which the app cannot vouch for.
    const speaksOfOutputs = /\boutputs?\b/i.test(lineText);
    if (speaksOfOutputs && /^[A-Z][A-Za-z0-9]*(Name|Arn|Id|Url|Target)$/.test(word) && !allOutputs.has(word)) {
      found.push({ path: doc.path, line, rule: 'unknown-name', message: `"${word}" is not a stack output of the app` });
    }
    const fileName = /^index\.(html?|css|js|mjs|cjs|ts|json|md|txt|xml)$/.test(word);
    if (/^index\.[A-Za-z]+$/.test(word) && !fileName && !facts.handlers.has(word)) {
      found.push({
        path: doc.path,
        line,
        rule: 'unknown-name',
        message: `"${word}" is not a Lambda handler of the app`,
      });
    }
    const cli = /^(?:npx\s+)?drctl\s+([a-z][a-z-]*)/.exec(word);
    if (cli && !facts.cliCommands.has(cli[1])) {
      found.push({ path: doc.path, line, rule: 'cli-command', message: `drctl has no command "${cli[1]}"` });
    } else if (cli) {
      // A drctl command quoted in prose is a reference, not a command to paste: its options must
      // exist, but it need not name its environment.
      for (const option of optionNames(splitWords(word))) {
        if (!facts.cliCommands.get(cli[1])!.has(option)) {
          found.push({ path: doc.path, line, rule: 'cli-command', message: `drctl ${cli[1]} has no option ${option}` });
        }
      }
    }
  };
  for (const span of doc.inlineCode) scan(span.text, span.line, true, doc.lines[span.line - 1]);
  for (const block of doc.codeBlocks) block.lines.forEach((text, i) => scan(text, block.line + 1 + i, false));
  return found;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
