/**
 * Seeds a local AWS emulator (moto server) with the parts of a deployment that the release
 * playbooks touch, so that the release steps of docs/runbooks/deploy.md and rollback.md can be
 * rehearsed offline. In each region of the config it creates what the data and hosting stacks
 * would: the versioned site bucket (Names.siteBucket), the SSM parameters
 * /<appName>/site-bucket-name and /<appName>/live-release (= bootstrap), the bootstrap release
 * (site/ plus its healthz) under releases/bootstrap/, and a REST API whose stage `live` has the
 * stage variable `release`, mapped to the region's own host name (<region>.<domainName>), which is
 * how drctl finds the stage. The bootstrap release is written to both buckets because moto does
 * not replicate.
 *
 * Not created: certificates, DNS, health checks, alarms, backups, S3 replication, CloudFormation
 * stacks. Nothing here serves HTTP on the site's host names.
 *
 * Usage: npx tsx scripts/emulator-seed.ts --endpoint-url http://127.0.0.1:5000 [--config config/default.json]
 * Needs credentials in the environment (any value works for moto, e.g. AWS_ACCESS_KEY_ID=testing).
 * Idempotent: what already exists is left as it is. Refuses any endpoint that is not local.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetBasePathMappingsCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { apiGatewayClient, s3Client, ssmClient } from '../lambda/lib/aws';
import { contentTypeFor } from '../lambda/lib/release';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../lib/config';
import { REGION_ROLES, type RegionRole } from '../lambda/contract/regions';
import {
  BOOTSTRAP_RELEASE,
  healthBody,
  RELEASE_STAGE_VARIABLE,
  RELEASES_PREFIX,
  STAGE_NAME,
} from '../lambda/contract/site';
import { Names } from '../lib/shared/naming';

const errorName = (err: unknown) => (err as { name?: string }).name ?? '';

async function main(): Promise<void> {
  // As bin/drctl.js does: the SDK's Node.js 20 end-of-support notice is not this script's news.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: { 'endpoint-url': { type: 'string' }, config: { type: 'string', default: DEFAULT_CONFIG_PATH } },
  });
  const endpointUrl = values['endpoint-url'];
  if (!endpointUrl || !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(endpointUrl)) {
    throw new Error(
      `--endpoint-url: got ${JSON.stringify(endpointUrl)}, expected a local emulator such as http://127.0.0.1:5000`,
    );
  }
  const config = loadConfig(values.config!);
  const names = new Names(config);
  const siteDir = path.join(__dirname, '..', 'site');
  const files = fs.readdirSync(siteDir).filter((f) => fs.statSync(path.join(siteDir, f)).isFile());

  for (const role of REGION_ROLES) {
    const region = names.regionOf(role);
    const at = { region, endpointUrl };
    const s3 = s3Client(at);
    const ssm = ssmClient(at);
    const apigw = apiGatewayClient(at);
    const bucket = names.siteBucket(role);

    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ...(region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      );
    } catch (err) {
      if (errorName(err) !== 'BucketAlreadyOwnedByYou') throw err;
    }
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));

    for (const [name, value] of [
      [names.siteBucketParameter, bucket],
      [names.liveReleaseParameter, BOOTSTRAP_RELEASE],
    ]) {
      try {
        await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String' }));
      } catch (err) {
        if (errorName(err) !== 'ParameterAlreadyExists') throw err;
      }
    }

    const prefix = `${RELEASES_PREFIX}${BOOTSTRAP_RELEASE}/`;
    const seeded = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}healthz` })).then(
      () => true,
      () => false,
    );
    if (!seeded) {
      for (const file of files) {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `${prefix}${file}`,
            Body: fs.readFileSync(path.join(siteDir, file)),
            ContentType: contentTypeFor(file),
          }),
        );
      }
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${prefix}healthz`,
          Body: healthBody(config.healthCheck.searchString, BOOTSTRAP_RELEASE),
          ContentType: 'text/plain',
        }),
      );
    }

    const restApiId = await seedApi(apigw, role, names, config.account);
    const live = await ssm.send(new GetParameterCommand({ Name: names.liveReleaseParameter }));
    process.stdout.write(
      `${role} ${region}: bucket ${bucket}, live release ${live.Parameter?.Value}, REST API ${restApiId} stage ${STAGE_NAME} on ${names.regionalHost(role)}\n`,
    );
  }
}

/** A REST API with the stage `live` (variable `release` = the live release), mapped to the region's host. */
async function seedApi(
  apigw: ReturnType<typeof apiGatewayClient>,
  role: RegionRole,
  names: Names,
  account: string,
): Promise<string> {
  const domainName = names.regionalHost(role);
  const existing = await apigw.send(new GetBasePathMappingsCommand({ domainName })).then(
    (out) => out.items?.[0]?.restApiId,
    () => undefined,
  );
  if (existing) return existing;

  const api = await apigw.send(
    new CreateRestApiCommand({ name: names.hostingStack(role), endpointConfiguration: { types: ['REGIONAL'] } }),
  );
  const restApiId = api.id!;
  // A deployment needs at least one method; the real API integrates with S3, a mock is enough here.
  const resources = await apigw.send(new GetResourcesCommand({ restApiId }));
  const rootId = resources.items!.find((r) => r.path === '/')!.id!;
  await apigw.send(
    new PutMethodCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE' }),
  );
  await apigw.send(new PutIntegrationCommand({ restApiId, resourceId: rootId, httpMethod: 'GET', type: 'MOCK' }));
  const deployment = await apigw.send(new CreateDeploymentCommand({ restApiId }));
  await apigw.send(
    new CreateStageCommand({
      restApiId,
      stageName: STAGE_NAME,
      deploymentId: deployment.id!,
      variables: { [RELEASE_STAGE_VARIABLE]: BOOTSTRAP_RELEASE },
    }),
  );
  await apigw.send(
    new CreateDomainNameCommand({
      domainName,
      regionalCertificateArn: `arn:aws:acm:${names.regionOf(role)}:${account}:certificate/emulator`,
      endpointConfiguration: { types: ['REGIONAL'] },
    }),
  );
  await apigw.send(new CreateBasePathMappingCommand({ domainName, restApiId, stage: STAGE_NAME }));
  return restApiId;
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator-seed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
