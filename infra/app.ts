/*
 * The repository's CDK app: builds the construct's assets (resolver and handler bundles) into
 * .build/assets, then synthesizes the scheduler stack and checks it with cdk-nag's AWS Solutions
 * pack (any unacknowledged error fails `cdk synth`). Not part of the package: it builds from the
 * sources, which an installed package does not carry.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildAssets } from '../scripts/build-assets.js';
import { propsFromContext } from './app-context.js';
import { SchedulerStack } from './scheduler-stack.js';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const assets = await buildAssets();

// Run directly (npm run synth) the app writes to cdk.out itself; under the CDK CLI, to the CLI's choice.
const app = new App({ outdir: process.env['CDK_OUTDIR'] ?? path.join(PROJECT_ROOT, 'cdk.out') });
const stackName: unknown = app.node.tryGetContext('stackName');
new SchedulerStack(app, typeof stackName === 'string' ? stackName : 'PreciseScheduler', {
  ...propsFromContext(app),
  assetsDir: assets.dir,
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  description:
    'precise-scheduler: millisecond-precise one-shot scheduler (AppSync, DynamoDB, SQS, Lambda)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
