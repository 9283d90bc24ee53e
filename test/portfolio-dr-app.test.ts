import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addPortfolioDrUnits, type DeploymentUnit } from '../lib/portfolio-dr-app';
import { buildUnits, defaultConfig, sharedTemplates, type AppTemplates } from './support/app';

// addPortfolioDrUnits() builds some deployment units as addPortfolioDr() builds the whole app, so
// that tests of one or two stacks skip the others. That holds only while no stack's template depends
// on which other stacks exist (stacks reach each other by deterministic names, not references): each
// unit whose templates tests read from a build of their own (data, hosting, global; the recovery
// unit is built only beside them) is compared here with the whole app of the shared synthesis (the same
// config, the assets staged as there), template for template. The checks stay on where the
// unit passes them alone, since cdk-nag writes its acknowledgements into the templates; the global
// stack holds none, and alone it fails the DR rule that wants the playbooks beside the switch.

const UNIT_TEMPLATES: [DeploymentUnit, boolean, (keyof AppTemplates)[]][] = [
  ['data', true, ['dataPrimary', 'dataStandby']],
  ['hosting', true, ['hostingPrimary', 'hostingStandby']],
  ['global', false, ['global']],
];

/** The templates of every stack of an app, by stack name. */
function templatesOf(app: App): Record<string, unknown> {
  return Object.fromEntries(
    app.node.children.filter(Stack.isStack).map((stack) => [stack.stackName, Template.fromStack(stack).toJSON()]),
  );
}

describe('addPortfolioDrUnits', () => {
  test.each(UNIT_TEMPLATES)(
    'the %s unit built alone (checks: %s) has the same templates as in the whole app, besides the paging stacks',
    (unit, checks, keys) => {
      const built = buildUnits([unit], undefined, { checks });
      const whole = sharedTemplates();
      const alone = templatesOf(built.app);
      const stacks = built.stacks as unknown as Record<string, Stack | Record<string, Stack>>;
      const ofUnit = stacks[unit] instanceof Stack ? [stacks[unit]] : Object.values(stacks[unit]);
      expect(Object.keys(alone).sort()).toEqual(
        [...ofUnit.map((s) => s.stackName), 'portfolio-paging-us-east-1', 'portfolio-paging-us-west-2'].sort(),
      );
      expect(ofUnit.map((s) => alone[s.stackName])).toEqual(keys.map((key) => whole[key].toJSON()));
      expect(alone['portfolio-paging-us-east-1']).toEqual(whole.pagingPrimary.toJSON());
      expect(alone['portfolio-paging-us-west-2']).toEqual(whole.pagingStandby.toJSON());
    },
  );

  test('the stacks built depend on each other as in the whole app', () => {
    const { stacks } = buildUnits(['hosting', 'global'], undefined, { bundling: false });
    expect(stacks.global.dependencies.map((s) => s.stackName).sort()).toEqual([
      'portfolio-hosting-primary',
      'portfolio-hosting-standby',
      'portfolio-paging-us-east-1',
    ]);
  });

  test('an unknown unit is refused, naming it and the units there are', () => {
    expect(() => addPortfolioDrUnits(new App(), defaultConfig(), ['dns' as DeploymentUnit])).toThrow(
      'addPortfolioDrUnits: unknown deployment unit "dns", expected one of data, hosting, global, recovery, readiness, drill',
    );
  });
});
