import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArtifactType, type AwsCloudFormationStackProperties, Manifest } from '@aws-cdk/cloud-assembly-schema';

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

/**
 * Read every stack of a cloud assembly directory (`cdk.out`), without AWS access. The manifest is
 * read with the cloud-assembly schema's own loader (`Manifest.loadAssemblyManifest`), which checks
 * it against the schema and refuses an assembly written by a newer, incompatible schema version;
 * the package has no aws-cdk-lib import, so `drctl posture` stays free of it.
 */
export function loadAssembly(dir: string): StackView[] {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(
      `${dir}: no manifest.json; run "npx cdk synth" first, or pass the directory that holds the synthesized app`,
    );
  }
  const manifest = Manifest.loadAssemblyManifest(manifestPath);
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === ArtifactType.AWS_CLOUDFORMATION_STACK)
    .map(([id, a]) => {
      const properties = a.properties as AwsCloudFormationStackProperties;
      return {
        stackName: properties.stackName ?? id,
        // aws://<account>/<region>
        region: String(a.environment).split('/').pop()!,
        template: JSON.parse(fs.readFileSync(path.join(dir, properties.templateFile), 'utf8')),
        terminationProtection: properties.terminationProtection === true,
      };
    });
}
