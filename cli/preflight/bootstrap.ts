import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ArtifactManifest, ArtifactType, Manifest } from '@aws-cdk/cloud-assembly-schema';
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { type CheckResult, describeError, errorName, fail, pass, shellQuote } from './result';

/** The stack `cdk bootstrap` creates in each environment (default toolkit stack name). */
export const TOOLKIT_STACK = 'CDKToolkit';

/** The bootstrap version a synthesized app needs, and where that number comes from. */
export interface RequiredBootstrap {
  readonly version: number;
  /** For people: "cdk.out/manifest.json (requiresBootstrapStackVersion of 14 artifacts)". */
  readonly source: string;
  /** The account the assembly was synthesized for (the stacks' environments). */
  readonly accounts: readonly string[];
}

/**
 * The bootstrap version the synthesized app in `cdkOut` needs, from its manifest, or why it is
 * unknown. The manifest is read by the cloud-assembly schema's loader, which validates it against
 * the schema (and refuses one written by a newer, incompatible schema version).
 */
export function readRequiredBootstrap(cdkOut: string): RequiredBootstrap | string {
  const file = path.join(cdkOut, 'manifest.json');
  if (!fs.existsSync(file)) return `${file} does not exist: the app has not been synthesized`;
  let manifest;
  try {
    manifest = Manifest.loadAssemblyManifest(file);
  } catch (err) {
    return `${file} is not a cloud assembly manifest this drctl can read (${(err as Error).message})`;
  }
  return requiredBootstrap(manifest, file);
}

/** What requiredBootstrap reads of an artifact: its type, environment and bootstrap version. */
interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: ArtifactManifest['environment'];
  readonly properties?: object & { readonly requiresBootstrapStackVersion?: number };
}

/**
 * The bootstrap version a cloud assembly requires: the highest `requiresBootstrapStackVersion` of
 * its stacks and asset manifests (the CLI refuses to deploy or publish below it; the templates'
 * `CheckBootstrapVersion` rule enforces the same number against the `BootstrapVersion` parameter).
 * A stack's lookup role may ask for more; the CLI then falls back to the caller's own credentials
 * for lookups, so that is not a requirement here.
 */
export function requiredBootstrap(
  manifest: { readonly artifacts?: Record<string, ManifestArtifact> },
  source: string,
): RequiredBootstrap | string {
  const artifacts = manifest.artifacts;
  if (!artifacts) return `${source} lists no artifacts`;
  const relevant = Object.values(artifacts).filter(
    (a) => a.type === ArtifactType.AWS_CLOUDFORMATION_STACK || a.type === ArtifactType.ASSET_MANIFEST,
  );
  const versions = relevant
    .map((a) => a.properties?.requiresBootstrapStackVersion)
    .filter((v): v is number => typeof v === 'number');
  if (versions.length === 0) return `${source} names no required bootstrap version (requiresBootstrapStackVersion)`;
  const accounts = [
    ...new Set(
      relevant
        .map((a) => /^aws:\/\/([^/]+)\//.exec(a.environment ?? '')?.[1])
        .filter((a): a is string => a !== undefined),
    ),
  ];
  return {
    version: Math.max(...versions),
    source: `${source} (requiresBootstrapStackVersion of ${versions.length} artifacts)`,
    accounts,
  };
}

/** Stack statuses in which the toolkit stack's resources are there and usable. */
const USABLE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE']);

/** `CDKToolkit` exists in the region, is usable, and its BootstrapVersion output is at least the required one. */
export async function checkBootstrap(
  cloudformation: CloudFormationClient,
  account: string,
  region: string,
  required: RequiredBootstrap | string,
  profile: string | undefined,
): Promise<CheckResult> {
  const bootstrap = `npx cdk bootstrap${profile ? ` --profile ${shellQuote(profile)}` : ''} aws://${account}/${region}`;
  if (typeof required === 'string') {
    return fail(
      'cdk-bootstrap',
      region,
      `cannot tell which bootstrap version the app needs: ${required}`,
      'npx cdk synth --quiet (then run preflight again)',
    );
  }
  let stack;
  try {
    stack = (await cloudformation.send(new DescribeStacksCommand({ StackName: TOOLKIT_STACK }))).Stacks?.[0];
  } catch (err) {
    // DescribeStacks answers a missing stack with ValidationError "Stack with id CDKToolkit does not exist".
    if (!(errorName(err) === 'ValidationError' && /does not exist/.test(describeError(err)))) {
      return fail(
        'cdk-bootstrap',
        region,
        `cannot read the ${TOOLKIT_STACK} stack (${describeError(err)})`,
        `grant cloudformation:DescribeStacks on ${TOOLKIT_STACK} to the profile`,
      );
    }
  }
  if (!stack) {
    return fail('cdk-bootstrap', region, `not bootstrapped: no ${TOOLKIT_STACK} stack`, bootstrap);
  }
  const status = stack.StackStatus ?? 'unknown';
  if (!USABLE.has(status)) {
    return fail(
      'cdk-bootstrap',
      region,
      `${TOOLKIT_STACK} is ${status}${status.endsWith('_IN_PROGRESS') ? ': wait until it completes' : ''}`,
      status.endsWith('_IN_PROGRESS') ? `wait, then run preflight again` : bootstrap,
    );
  }
  const output = stack.Outputs?.find((o) => o.OutputKey === 'BootstrapVersion')?.OutputValue;
  const version = Number(output);
  if (output === undefined || !Number.isInteger(version)) {
    return fail(
      'cdk-bootstrap',
      region,
      `${TOOLKIT_STACK} has no BootstrapVersion output (got ${JSON.stringify(output)}): a legacy or foreign bootstrap`,
      bootstrap,
    );
  }
  if (version < required.version) {
    return fail(
      'cdk-bootstrap',
      region,
      `bootstrap version ${version}, but the app needs at least ${required.version} (${required.source})`,
      bootstrap,
    );
  }
  return pass('cdk-bootstrap', region, `bootstrap version ${version} (the app needs ${required.version} or later)`);
}
