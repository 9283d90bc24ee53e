import type { Template } from 'aws-cdk-lib/assertions';

/**
 * A small evaluator of the Amazon States Language subset the restore loop and the drill use (Task
 * with Parameters, ResultPath, Retry and Catch; Choice, Pass, Wait, Succeed, Fail; JSONPath `$`
 * and `$.a.b`; States.Format in CausePath), so tests can drive a
 * synthesized state machine with real handler outputs. Anything outside that subset throws rather
 * than being guessed at, and, as Step Functions does, every state's input and output is JSON and
 * at most 256 KiB (262,144 bytes of UTF-8: the length limit of the execution history's input and
 * output fields, e.g. StateEnteredEventDetails.input in the Step Functions API reference).
 */

export const MAX_PAYLOAD_BYTES = 262_144;

type Json = any;

/** The state machine's definition, with every CloudFormation token inside it replaced by a placeholder. */
export function definitionOf(template: Template): { StartAt: string; States: Record<string, Json> } {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const definition = machines[0].Properties.DefinitionString;
  const text =
    typeof definition === 'string'
      ? definition
      : (definition['Fn::Join'][1] as Json[])
          .map((part) => (typeof part === 'string' ? part : '<token>'))
          .join(definition['Fn::Join'][0]);
  return JSON.parse(text);
}

/** `$` or `$.a.b.c`; a missing field is an error, as in a Choice rule or an OutputPath. */
export function readPath(data: Json, path: string): Json {
  if (path === '$') return data;
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) throw new Error(`unsupported JSONPath ${path}`);
  let value = data;
  for (const field of path.slice(2).split('.')) {
    if (value === null || typeof value !== 'object' || !(field in value)) {
      throw new Error(`States.Runtime: Invalid path '${path}': no such field in the state`);
    }
    value = value[field];
  }
  return value;
}

/** A Parameters (or Payload) template: `key.$` fields take the value at their path. */
export function resolveParameters(template: Json, data: Json): Json {
  if (Array.isArray(template)) return template.map((t) => resolveParameters(t, data));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = readPath(data, value as string);
    else out[key] = resolveParameters(value, data);
  }
  return out;
}

/** `ResultPath`: `$` replaces the state, `$.a.b` sets that field of a copy of it. */
export function writePath(data: Json, path: string, value: Json): Json {
  if (path === '$') return value;
  if (!/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) throw new Error(`unsupported ResultPath ${path}`);
  const fields = path.slice(2).split('.');
  const copy = JSON.parse(JSON.stringify(data ?? {}));
  let cur = copy;
  for (const field of fields.slice(0, -1)) {
    if (cur[field] === null || typeof cur[field] !== 'object') cur[field] = {};
    cur = cur[field];
  }
  cur[fields[fields.length - 1]] = value;
  return copy;
}

/** Does an error name match a Retry or Catch rule's ErrorEquals (States.ALL matches any error)? */
function matches(rule: Json, error: string): boolean {
  const names = rule.ErrorEquals as string[];
  return (
    names.includes('States.ALL') ||
    names.includes(error) ||
    (names.includes('States.TaskFailed') && !error.startsWith('States.'))
  );
}

export function evaluateRule(rule: Json, data: Json): boolean {
  if (rule.And) return (rule.And as Json[]).every((r) => evaluateRule(r, data));
  if (rule.Or) return (rule.Or as Json[]).some((r) => evaluateRule(r, data));
  if (rule.Not) return !evaluateRule(rule.Not, data);
  const { Variable, Next: _next, ...comparison } = rule;
  const operators = Object.keys(comparison);
  if (operators.length !== 1) throw new Error(`unsupported Choice rule ${JSON.stringify(rule)}`);
  const operator = operators[0];
  const expected = comparison[operator];
  if (operator === 'IsPresent') {
    try {
      readPath(data, Variable);
      return expected === true;
    } catch {
      return expected === false;
    }
  }
  const value = readPath(data, Variable);
  switch (operator) {
    case 'StringEquals':
      return typeof value === 'string' && value === expected;
    case 'NumericEquals':
      return typeof value === 'number' && value === expected;
    case 'NumericGreaterThan':
      return typeof value === 'number' && value > expected;
    case 'BooleanEquals':
      return typeof value === 'boolean' && value === expected;
    default:
      throw new Error(`unsupported Choice operator ${operator}`);
  }
}

/** `States.Format('...{}...', $.a, $.b)` or a plain JSONPath. */
export function evaluateIntrinsic(expression: string, data: Json): string {
  if (expression.startsWith('$')) return String(readPath(data, expression));
  const m = /^States\.Format\('((?:[^'\\]|\\.)*)'((?:\s*,\s*\$[A-Za-z0-9_.]*)*)\)$/.exec(expression);
  if (!m) throw new Error(`unsupported intrinsic ${expression}`);
  const args = m[2]
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '')
    .map((a) => readPath(data, a));
  let i = 0;
  return m[1].replace(/\\(.)|\{\}/g, (_match, escaped) => {
    if (escaped !== undefined) return escaped;
    const arg = args[i++];
    return typeof arg === 'string' ? arg : JSON.stringify(arg);
  });
}

function checkSize(where: string, data: Json): Json {
  const text = JSON.stringify(data);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new Error(`States.DataLimitExceeded at ${where}: ${bytes} bytes`);
  }
  return JSON.parse(text);
}

export interface Execution {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error?: string;
  readonly cause?: string;
  readonly output?: Json;
  /** States entered, in order. */
  readonly path: string[];
  /** Size in bytes of the largest state input or output seen. */
  readonly largestPayloadBytes: number;
}

/**
 * Run a definition. `task(name, input)` stands in for each Task state's resource (a Lambda task
 * with payloadResponseOnly): it receives the state's input, or its resolved Parameters, and its
 * result goes to ResultPath. An error it throws is handled as a Lambda function error: Error is
 * the error's name, Cause the function's error JSON (`errorType`, `errorMessage`, `trace`); Retry
 * rules retry it (without waiting), then a Catch rule routes it, else the execution fails.
 * `wait(seconds)` is called by each Wait state (advance a fake clock there).
 */
export async function execute(
  definition: { StartAt: string; States: Record<string, Json> },
  input: Json,
  task: (name: string, input: Json) => Promise<Json>,
  options: { startAt?: string; maxTransitions?: number; wait?: (seconds: number) => Promise<void> } = {},
): Promise<Execution> {
  const path: string[] = [];
  let largest = 0;
  const measure = (where: string, data: Json) => {
    largest = Math.max(largest, Buffer.byteLength(JSON.stringify(data) ?? '', 'utf8'));
    return checkSize(where, data);
  };
  let name = options.startAt ?? definition.StartAt;
  let data = measure('execution input', input);
  for (let n = 0; n < (options.maxTransitions ?? 10_000); n++) {
    const state = definition.States[name];
    if (!state) throw new Error(`no state named ${name}`);
    path.push(name);
    const done = { path, largestPayloadBytes: largest };
    switch (state.Type) {
      case 'Task': {
        const unsupported = ['InputPath', 'ResultSelector', 'OutputPath', 'Arguments'];
        const found = unsupported.filter((f) => f in state);
        if (found.length > 0) throw new Error(`Task ${name}: unsupported fields ${found.join(', ')}`);
        const input = state.Parameters === undefined ? data : resolveParameters(state.Parameters, data);
        const attempts = new Map<Json, number>();
        let result: Json;
        let failure: { Error: string; Cause: string } | undefined;
        for (;;) {
          try {
            result = await task(name, measure(`${name} input`, input));
            failure = undefined;
            break;
          } catch (err) {
            const e = err as Error;
            failure = {
              Error: e.name,
              Cause: JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: [] }),
            };
            const retrier = ((state.Retry ?? []) as Json[]).find((r) => matches(r, e.name));
            const used = retrier ? (attempts.get(retrier) ?? 0) : 0;
            if (!retrier || used >= (retrier.MaxAttempts ?? 3)) break;
            attempts.set(retrier, used + 1);
          }
        }
        if (failure) {
          const catcher = ((state.Catch ?? []) as Json[]).find((c) => matches(c, failure.Error));
          if (!catcher) return { status: 'FAILED', error: failure.Error, cause: failure.Cause, ...done };
          data = measure(`${name} catch`, writePath(data, catcher.ResultPath ?? '$', failure));
          name = catcher.Next;
          continue;
        }
        data = measure(`${name} output`, writePath(data, state.ResultPath ?? '$', result));
        break;
      }
      case 'Wait': {
        const seconds = state.SecondsPath !== undefined ? readPath(data, state.SecondsPath) : state.Seconds;
        if (typeof seconds !== 'number') throw new Error(`Wait ${name}: unsupported (Seconds or SecondsPath only)`);
        await options.wait?.(seconds);
        break;
      }
      case 'Pass': {
        const unsupported = ['Result', 'ResultPath', 'Parameters', 'ResultSelector'];
        const found = unsupported.filter((f) => f in state);
        if (found.length > 0) throw new Error(`Pass ${name}: unsupported fields ${found.join(', ')}`);
        data = readPath(readPath(data, state.InputPath ?? '$'), state.OutputPath ?? '$');
        data = measure(`${name} output`, data);
        break;
      }
      case 'Choice': {
        const rule = (state.Choices as Json[]).find((r) => evaluateRule(r, data));
        const next = rule?.Next ?? state.Default;
        if (!next) throw new Error(`States.NoChoiceMatched in ${name}`);
        name = next;
        continue;
      }
      case 'Succeed':
        return { status: 'SUCCEEDED', output: data, ...done };
      case 'Fail':
        return {
          status: 'FAILED',
          error: state.ErrorPath ? evaluateIntrinsic(state.ErrorPath, data) : state.Error,
          cause: state.CausePath ? evaluateIntrinsic(state.CausePath, data) : state.Cause,
          ...done,
        };
      default:
        throw new Error(`unsupported state type ${state.Type} (${name})`);
    }
    if (state.End) return { status: 'SUCCEEDED', output: data, path, largestPayloadBytes: largest };
    name = state.Next;
  }
  throw new Error('too many transitions');
}
