import type { Command } from 'commander';
import type { StackView } from '../../lib/posture/assembly';
import { resourcesOfType } from '../../lib/posture/template-queries';

/** What exists, according to the synthesized app and the CLI: the docs are checked against it. */
export interface DeploymentFacts {
  /** Stack name to its region. */
  readonly stacks: ReadonlyMap<string, string>;
  /** Stack name to its output keys. */
  readonly outputs: ReadonlyMap<string, ReadonlySet<string>>;
  /** Alarms that have a fixed name, by name. */
  readonly alarms: ReadonlyMap<string, AlarmFact>;
  /** Every alarm, named or not (a nameless alarm is itself a finding). */
  readonly allAlarms: readonly AlarmFact[];
  /** Lambda handlers, e.g. `index.failover`. */
  readonly handlers: ReadonlySet<string>;
  /** Other fixed physical names: buckets, vaults, SSM parameters, metric namespaces. */
  readonly names: ReadonlySet<string>;
  /** Regions the app deploys to. */
  readonly regions: ReadonlySet<string>;
  /** drctl command to its long options (global ones included). */
  readonly cliCommands: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface AlarmFact {
  readonly name?: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly region: string;
  readonly description: string;
}

/** Read the facts from the stacks of a cloud assembly and the CLI's command tree. */
export function deploymentFacts(stacks: readonly StackView[], program: Command): DeploymentFacts {
  const allAlarms: AlarmFact[] = [];
  const handlers = new Set<string>();
  const names = new Set<string>();
  for (const stack of stacks) {
    for (const [logicalId, r] of resourcesOfType(stack, 'AWS::CloudWatch::Alarm')) {
      const p = r.Properties ?? {};
      allAlarms.push({
        name: typeof p.AlarmName === 'string' ? p.AlarmName : undefined,
        stack: stack.stackName,
        logicalId,
        region: stack.region,
        description: typeof p.AlarmDescription === 'string' ? p.AlarmDescription : '',
      });
      if (typeof p.Namespace === 'string') names.add(p.Namespace);
    }
    for (const [, r] of resourcesOfType(stack, 'AWS::Route53::HealthCheck')) {
      const search = r.Properties?.HealthCheckConfig?.SearchString;
      if (typeof search === 'string') names.add(search);
    }
    for (const [, r] of resourcesOfType(stack, 'AWS::Lambda::Function')) {
      if (typeof r.Properties?.Handler === 'string') handlers.add(r.Properties.Handler);
    }
    const literalNames: [string, string][] = [
      ['AWS::S3::Bucket', 'BucketName'],
      ['AWS::Backup::BackupVault', 'BackupVaultName'],
      ['AWS::SSM::Parameter', 'Name'],
      ['AWS::StepFunctions::StateMachine', 'StateMachineName'],
      ['AWS::SNS::Topic', 'TopicName'],
      ['AWS::Lambda::Function', 'FunctionName'],
      ['AWS::CloudWatch::Dashboard', 'DashboardName'],
    ];
    for (const [type, prop] of literalNames) {
      for (const [, r] of resourcesOfType(stack, type)) {
        if (typeof r.Properties?.[prop] === 'string') names.add(r.Properties[prop]);
      }
    }
  }
  const cliCommands = new Map<string, Set<string>>();
  for (const command of program.commands) {
    cliCommands.set(command.name(), new Set(['--help', ...command.options.map((o) => o.long!).filter(Boolean)]));
  }
  return {
    stacks: new Map(stacks.map((s) => [s.stackName, s.region])),
    outputs: new Map(stacks.map((s) => [s.stackName, new Set(Object.keys(s.template.Outputs ?? {}))])),
    alarms: new Map(allAlarms.filter((a) => a.name).map((a) => [a.name!, a])),
    allAlarms,
    handlers,
    names,
    regions: new Set(stacks.map((s) => s.region)),
    cliCommands,
  };
}
