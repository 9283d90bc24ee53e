import * as fs from 'node:fs';
import * as path from 'node:path';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import { OBJECTIVES_METADATA, type StackView } from './assembly';
import { assessObjectives, describeShortfall, type Objectives, PostureError } from './objectives';

/**
 * A synth-time validation plugin: fails synth when the declared RTO or RPO is below what the
 * synthesized infrastructure can achieve in the worst case. A target that is met passes silently.
 */
export class ObjectivesCheck implements IPolicyValidationPlugin {
  readonly name = 'DR objectives';

  constructor(private readonly objectives: Objectives) {}

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks: StackView[] = context.stackTemplates.map((s) => ({
      stackName: path.basename(s.templatePath, '.template.json'),
      region: s.region ?? 'unknown',
      template: JSON.parse(fs.readFileSync(s.templatePath, 'utf8')),
      terminationProtection: false,
    }));
    // Report against the stack that records the objectives (the global DNS stack).
    const objectivesStack = context.stackTemplates.find((_s, i) => stacks[i].template.Metadata?.[OBJECTIVES_METADATA]);
    const templatePath = objectivesStack?.templatePath ?? context.templatePaths[0];

    let violations: PolicyViolation[];
    try {
      violations = assessObjectives(stacks, this.objectives)
        .filter((a) => a.exceeded.length > 0)
        .map((a) => ({
          ruleName: `DR-${a.objective}-Budget`,
          description: describeShortfall(a).join('\n'),
          fix: `Raise ${a.field} to at least ${Math.ceil(Math.max(...a.exceeded.map((b) => b.worstCaseSeconds)) / 60)} min, or change the infrastructure terms above.`,
          violatingResources: [{ resourceLogicalId: a.field, templatePath, locations: [] }],
        }));
    } catch (err) {
      if (!(err instanceof PostureError)) throw err;
      violations = [
        {
          ruleName: 'DR-Objectives-Uncomputable',
          description: `The RTO/RPO budgets cannot be computed: ${err.message}`,
          violatingResources: [{ resourceLogicalId: 'objectives', templatePath, locations: [] }],
        },
      ];
    }
    return { success: violations.length === 0, violations };
  }
}
