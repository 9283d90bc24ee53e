// The baseline of `npm run bench:synth`: the smallest useful CDK app, one stack with one bucket.
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

const app = new App();
const stack = new Stack(app, 'MinimalBucketStack', { env: { account: '111111111111', region: 'us-east-1' } });
new s3.Bucket(stack, 'Bucket');
app.synth();
