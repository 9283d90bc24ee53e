import * as fs from 'node:fs';
import * as path from 'node:path';

/** One synthesized stack, as the posture checks and report read it. */
export interface StackView {
  readonly stackName: string;
  readonly region: string;
  readonly template: CfnTemplate;
  readonly terminationProtection: boolean;
}

export interface CfnTemplate {
  readonly Resources?: Record<
    string,
    { Type: string; Properties?: any; DeletionPolicy?: string; UpdateReplacePolicy?: string; Metadata?: any }
  >;
  readonly Metadata?: Record<string, any>;
  readonly Outputs?: Record<string, any>;
}

/** Template metadata key (on the global stack) that records the app's declared objectives. */
export const OBJECTIVES_METADATA = 'PortfolioDrObjectives';

/** Read every stack of a cloud assembly directory (`cdk.out`), without AWS access. */
export function loadAssembly(dir: string): StackView[] {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(
      `${dir}: no manifest.json; run "npx cdk synth" first, or pass the directory that holds the synthesized app`,
    );
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]: [string, any]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]: [string, any]) => ({
      stackName: a.properties?.stackName ?? id,
      region: String(a.environment).split('/').pop()!,
      template: JSON.parse(fs.readFileSync(path.join(dir, a.properties.templateFile), 'utf8')),
      terminationProtection: a.properties?.terminationProtection === true,
    }));
}
