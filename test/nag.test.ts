import { App, RemovalPolicy, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildUnits, constructTree } from './support/app';

/** Every (construct path, rule id) the pack reports, as sorted lines. */
function findings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${r.constructPath} ${v.ruleName}`)).sort();
}

interface Ack {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
  readonly onStackOrApp: boolean;
}

function acknowledgements(app: App): Ack[] {
  return app.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^[^:]+::/, ''),
          reason,
          onStackOrApp: Stack.isStack(c) || Stage.isStage(c) || c === app,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions', () => {
  const t = constructTree();

  test('the app has no unacknowledged finding', () => {
    expect(findings(t.app)).toEqual([]);
  });

  // The failing synths below build the unit they break (and the paging stacks), checked as the
  // whole app is (addPortfolioDrUnits()); the whole app has no finding (the first test).
  test('synth runs the DR pack too: a site bucket without versioning fails the synth', () => {
    const bad = buildUnits(['data'], undefined, { bundling: false });
    const bucket = bad.stacks.data.standby.siteBucket.node.defaultChild as s3.CfnBucket;
    bucket.versioningConfiguration = { status: 'Suspended' };
    expect(() => bad.app.synth()).toThrow(/DR-SiteContentVersioned/);
  });

  test('every acknowledgement names one resource, never a stack or the app, with a reason a reviewer can check', () => {
    const acks = acknowledgements(t.app);
    expect(acks.length).toBeGreaterThan(10);
    for (const ack of acks) {
      expect({ ...ack, onStackOrApp: ack.onStackOrApp }).toEqual({ ...ack, onStackOrApp: false });
      expect(ack.reason.length).toBeGreaterThanOrEqual(60);
    }
  });

  test('every acknowledgement matches a finding that would otherwise be reported (none is stale)', () => {
    // Build the same app with acknowledge() recording instead of acknowledging.
    const recorded: { path: string; id: string }[] = [];
    const spy = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: any, ...rules) {
      for (const rule of rules) recorded.push({ path: this.scope.node.path, id: rule.id });
    });
    let raw: string[];
    try {
      raw = findings(constructTree().app);
    } finally {
      spy.mockRestore();
    }
    // Each acknowledgement must silence at least one raw finding at or below its construct.
    const unused = recorded.filter(
      (ack) =>
        !raw.some((f) => {
          const [path, id] = f.split(' ');
          return id === ack.id && (path === ack.path || path.startsWith(`${ack.path}/`));
        }),
    );
    expect(unused).toEqual([]);
    // And each raw finding is silenced by some acknowledgement.
    const silenced = raw.filter((f) => {
      const [path, id] = f.split(' ');
      return recorded.some((ack) => id === ack.id && (path === ack.path || path.startsWith(`${ack.path}/`)));
    });
    expect(silenced).toEqual(raw);
  });

  test('a new non-compliant resource fails the pack and the synth', () => {
    const bad = buildUnits(['hosting'], undefined, { bundling: false });
    const stack = bad.stacks.hosting.standby;
    new s3.Bucket(stack, 'CarelessBucket', { removalPolicy: RemovalPolicy.DESTROY });
    expect(findings(bad.app)).toEqual([
      `${stack.stackName}/CarelessBucket/Resource AwsSolutions-S1`,
      `${stack.stackName}/CarelessBucket/Resource AwsSolutions-S10`,
    ]);
    expect(() => bad.app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
