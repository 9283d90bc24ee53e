import { InvalidArgumentError } from 'commander';
import { endpointUrlProblem } from '../lambda/lib/endpoint-url';

export { endpointUrlProblem };

/** commander argument parser for --endpoint-url: a refused URL is a usage error (exit 2). */
export function parseEndpointUrl(value: string): string {
  const problem = endpointUrlProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}
