import { z } from 'zod';
import { InputError } from './errors';
import type { RegionRole } from './regions';
import { TYPE_NAMES, valueAt } from './issues';

/**
 * What the playbooks need to know about one deployment of the DR stacks. The stacks derive it from
 * the config (lib/shared/deployment.ts `deploymentOf`) and hand it to each playbook Lambda as the
 * environment variable DR_DEPLOYMENT; drctl derives it from the config file. Both ends validate it
 * with this schema rather than trust a cast.
 */
const nonEmpty = z.string().min(1, 'a non-empty string');
const perRole = z.object({ primary: nonEmpty, standby: nonEmpty } satisfies Record<RegionRole, z.ZodType>);
const positiveInt = z.number().int('a whole number').positive('a number above 0');

export const deploymentSchema = z.object({
  appName: nonEmpty,
  domainName: nonEmpty,
  regions: perRole,
  /** Host names that reach one region directly: `<region>.<domain>`. */
  regionalHosts: perRole,
  trafficSwitch: z.object({
    region: nonEmpty,
    alarmName: nonEmpty,
    namespace: nonEmpty,
    metricName: nonEmpty,
    /**
     * Period of the switch alarm's statistic, in seconds (TRAFFIC_SWITCH_ALARM in
     * ./traffic-switch.ts). Failback waits for a period that holds no `1`.
     */
    periodSeconds: positiveInt,
  }),
  healthCheck: z.object({ path: z.string().startsWith('/', 'a path starting with /'), searchString: nonEmpty }),
  parameters: z.object({ siteBucket: nonEmpty, liveRelease: nonEmpty }),
  backupVaultName: nonEmpty,
  replicationRuleId: nonEmpty,
  rpoMinutes: positiveInt,
  rtoMinutes: positiveInt,
});

export type Deployment = z.infer<typeof deploymentSchema>;

/** A deployment record that is missing, not JSON, or not the shape above. */
export class DeploymentError extends InputError {}

function describeIssue(input: unknown, issue: z.core.$ZodIssue): string {
  const field = issue.path.join('.') || '(root)';
  const value = valueAt(input, issue.path);
  if (value === undefined) {
    const expected = issue.code === 'invalid_type' ? (TYPE_NAMES[issue.expected] ?? issue.expected) : issue.message;
    return `${field}: missing, expected ${expected}`;
  }
  const expected = issue.code === 'invalid_type' ? (TYPE_NAMES[issue.expected] ?? issue.expected) : issue.message;
  return `${field}: got ${JSON.stringify(value)}, expected ${expected}`;
}

/** Validate a deployment record; one DeploymentError lists every bad field with its value. */
export function parseDeployment(input: unknown, source: string): Deployment {
  const result = deploymentSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(input, issue));
  throw new DeploymentError(`Invalid deployment record in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** Read DR_DEPLOYMENT (set by the recovery stack) or fail with what is wrong. */
export function deploymentFromEnv(env: NodeJS.ProcessEnv = process.env): Deployment {
  const raw = env.DR_DEPLOYMENT;
  if (!raw) throw new DeploymentError('DR_DEPLOYMENT is not set: this function must be deployed by the recovery stack');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new DeploymentError(`DR_DEPLOYMENT is not valid JSON: ${(err as Error).message}`);
  }
  return parseDeployment(parsed, 'DR_DEPLOYMENT');
}
