import * as path from 'node:path';
import { DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';

/** Source of the playbook Lambdas: the handlers and the library they call. No aws-cdk-lib in it. */
export const LAMBDA_DIR = path.join(__dirname, '..', '..', 'lambda');
const ENTRY = path.join(LAMBDA_DIR, 'handlers', 'index.ts');

/**
 * One bundle for every playbook Lambda (each exports its handler from index.js), built by the
 * local esbuild at synth, offline and without Docker. CDK stages an asset once per synth for the
 * same source and options, so the bundle is built once however many functions use it.
 */
export function playbookCode(): lambda.Code {
  return lambda.Code.fromAsset(LAMBDA_DIR, {
    exclude: ['**/*.test.ts'],
    bundling: {
      // Never used: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('unused-local-bundling-only'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildSync({
            entryPoints: [ENTRY],
            outfile: path.join(outputDir, 'index.js'),
            bundle: true,
            platform: 'node',
            target: 'node22',
            format: 'cjs',
            minify: true,
            sourcemap: true,
            sourcesContent: false,
            legalComments: 'none',
            logLevel: 'error',
          });
          return true;
        },
      },
    },
  });
}
