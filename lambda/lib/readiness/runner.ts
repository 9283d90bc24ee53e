import { type CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import {
  assuranceNamespace,
  READINESS_CHECK_DIMENSION,
  READINESS_CHECKS,
  READINESS_METRIC,
  type ReadinessCheckName,
  type ReadinessCheckResult,
  type ReadinessReport,
} from '../../contract/assurance';
import { certificates } from './certificates';
import { type ReadinessCheck, type ReadinessDeps, result } from './deps';
import { healthChecks } from './health-checks';
import { hostingSettings } from './hosting-settings';
import { liveRelease } from './live-release';
import { recoveryPoint } from './recovery-point';
import { replicationDrift } from './replication-drift';
import { trafficSwitch } from './traffic-switch';

/** Every check by its contract name; the runner reports them in READINESS_CHECKS order. */
export const CHECKS: Record<ReadinessCheckName, ReadinessCheck> = {
  'health-checks': healthChecks,
  'traffic-switch': trafficSwitch,
  'replication-drift': replicationDrift,
  'live-release': liveRelease,
  certificates,
  'recovery-point': recoveryPoint,
  'hosting-settings': hostingSettings,
};

export interface RunOptions {
  /** A check that has not answered after this long fails (its API does not answer). Default 60 s. */
  readonly timeoutMs?: number;
  /** The checks to run (tests replace some). Default: CHECKS. */
  readonly checks?: Record<ReadinessCheckName, ReadinessCheck>;
}

/** Fails with a timeout message after `ms`; the timer does not keep the process alive. */
function deadline(ms: number): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Run one check; what it throws (or a timeout) becomes a failed result naming the error. */
async function runOne(
  name: ReadinessCheckName,
  check: ReadinessCheck,
  deps: ReadinessDeps,
  now: Date,
  timeoutMs: number,
): Promise<ReadinessCheckResult> {
  const limit = deadline(timeoutMs);
  try {
    return await Promise.race([check(deps, now), limit.promise]);
  } catch (err) {
    const e = err as { name?: string; message?: string };
    const error = `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
    return result(name, false, `could not check: ${error}`, { error });
  } finally {
    limit.cancel();
  }
}

/**
 * Can the standby take traffic now? Runs every readiness check at once (each reads on its own, so
 * an API that does not answer fails only its check) and reports them in contract order. Reads
 * only: no check writes anything.
 */
export async function runReadiness(deps: ReadinessDeps, options: RunOptions = {}): Promise<ReadinessReport> {
  const now = (deps.now ?? (() => new Date()))();
  const checks = options.checks ?? CHECKS;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const results = await Promise.all(READINESS_CHECKS.map((name) => runOne(name, checks[name], deps, now, timeoutMs)));
  return {
    ready: results.every((r) => r.ok),
    checkedAt: now.toISOString(),
    app: deps.deployment.appName,
    region: deps.deployment.regions.standby,
    checks: results,
  };
}

/** READINESS_METRIC per check: 1 failed (or could not run), 0 passed; timestamped when the checks started. */
export function readinessMetricData(report: ReadinessReport): MetricDatum[] {
  return report.checks.map((c) => ({
    MetricName: READINESS_METRIC,
    Dimensions: [{ Name: READINESS_CHECK_DIMENSION, Value: c.check }],
    Timestamp: new Date(report.checkedAt),
    Value: c.ok ? 0 : 1,
    Unit: 'Count',
  }));
}

/**
 * Publish the report's metrics in one PutMetricData call (at most 1,000 data points a call:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html).
 */
export async function publishReadiness(
  cloudwatch: CloudWatchClient,
  appName: string,
  report: ReadinessReport,
): Promise<void> {
  await cloudwatch.send(
    new PutMetricDataCommand({ Namespace: assuranceNamespace(appName), MetricData: readinessMetricData(report) }),
  );
}
