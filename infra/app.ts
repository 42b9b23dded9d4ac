/*
 * The CDK app: bundles the AppSync resolvers, then synthesizes the scheduler stack and checks it
 * with cdk-nag's AWS Solutions pack (any unacknowledged error fails `cdk synth`).
 */
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildResolvers } from '../scripts/build-resolvers.js';
import { RESOLVER_BUILD_DIR } from '../src/resolver-manifest.js';
import { propsFromContext } from './app-context.js';
import { PROJECT_ROOT, SchedulerStack } from './scheduler-stack.js';

const resolverManifestDir = path.join(PROJECT_ROOT, RESOLVER_BUILD_DIR);
await buildResolvers(resolverManifestDir);

// Run directly (npm run synth) the app writes to cdk.out itself; under the CDK CLI, to the CLI's choice.
const app = new App({ outdir: process.env['CDK_OUTDIR'] ?? path.join(PROJECT_ROOT, 'cdk.out') });
const stackName: unknown = app.node.tryGetContext('stackName');
new SchedulerStack(app, typeof stackName === 'string' ? stackName : 'PreciseScheduler', {
  ...propsFromContext(app),
  resolverManifestDir,
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  description:
    'precise-scheduler: millisecond-precise one-shot scheduler (AppSync, DynamoDB, SQS, Lambda)',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
