import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';

/** The runtime of every playbook Lambda; the bundle is built for its Node.js version. */
export const PLAYBOOK_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * esbuild's target for a Node.js Lambda runtime: `nodejs24.x` gives `node24`, so the bundle uses
 * every language feature the runtime has and no other.
 */
export function esbuildTarget(runtime: lambda.Runtime): string {
  const match = /^nodejs(\d+)\.x$/.exec(runtime.name);
  if (runtime.family !== lambda.RuntimeFamily.NODEJS || !match) {
    throw new Error(`esbuildTarget: runtime "${runtime.name}" is not a Node.js runtime (expected nodejs<major>.x)`);
  }
  return `node${match[1]}`;
}

/** Source of the playbook Lambdas: the handlers and the library they call. No aws-cdk-lib in it. */
export const LAMBDA_DIR = path.join(__dirname, '..', '..', 'lambda');

export interface PlaybookCodeOptions {
  /**
   * Directory holding `handlers/index.ts`; its dependencies resolve from the `node_modules`
   * folders above it, as Node's resolution does.
   * @default LAMBDA_DIR
   */
  readonly sourceDir?: string;
}

/**
 * One bundle for every playbook Lambda (each exports its handler from index.js), built by the
 * local esbuild at synth, offline and without Docker. CDK stages an asset once per synth for the
 * same source and options, so the bundle is built once however many functions use it.
 *
 * The asset hash is the hash of the bundle itself (`AssetHashType.OUTPUT`), not of `lambda/`:
 * the AWS SDK and every other dependency are bundled in, so an update of a dependency (a security
 * fix of the SDK) changes the bundle, hence the asset, hence the deployed code. A hash of the
 * sources alone would leave the old dependency deployed until someone edited `lambda/`.
 */
export function playbookCode(options: PlaybookCodeOptions = {}): lambda.Code {
  const sourceDir = options.sourceDir ?? LAMBDA_DIR;
  return lambda.Code.fromAsset(sourceDir, {
    assetHashType: AssetHashType.OUTPUT,
    // Used only when CDK skips bundling (a stack outside --exclusively): it then hashes sources.
    exclude: ['**/*.test.ts'],
    bundling: {
      // Never used: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('unused-local-bundling-only'),
      local: {
        tryBundle(outputDir: string): boolean {
          writeBundle(sourceDir, outputDir);
          return true;
        },
      },
    },
  });
}

/**
 * Bundle `<sourceDir>/handlers/index.ts` into `outputDir` (index.js and its source map).
 *
 * esbuild writes source-map paths relative to the output file, and CDK bundles into a temporary
 * folder of the cloud assembly: written there, the map (so the output hash) would change with the
 * assembly's location (`cdk synth -o elsewhere`, a test's temporary directory). So the bundle is
 * built for a fixed virtual location, `<sourceDir>/index.js`, and its files are then written out:
 * the map names `handlers/index.ts`, `lib/...`, `../node_modules/...` wherever the synth runs.
 */
function writeBundle(sourceDir: string, outputDir: string): void {
  const result = buildSync({
    entryPoints: [path.join(sourceDir, 'handlers', 'index.ts')],
    outfile: path.join(sourceDir, 'index.js'),
    write: false,
    bundle: true,
    platform: 'node',
    target: esbuildTarget(PLAYBOOK_RUNTIME),
    format: 'cjs',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'error',
  });
  for (const file of result.outputFiles) {
    fs.writeFileSync(path.join(outputDir, path.basename(file.path)), file.contents);
  }
}
