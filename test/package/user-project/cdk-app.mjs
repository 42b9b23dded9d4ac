// A user's CDK app, as plain JavaScript: their own stack with the scheduler in it, checked by
// cdk-nag's AWS Solutions pack. Exits non-zero when synthesis fails or a finding is left open.
import { readFileSync } from 'node:fs';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PreciseScheduler } from 'precise-scheduler';

const outdir = process.argv[2] ?? 'cdk.out';
const app = new App({ outdir });
const stack = new Stack(app, 'UserApp', { env: { account: '123456789012', region: 'eu-west-1' } });
const scheduler = new PreciseScheduler(stack, 'Scheduler', { shardCount: 2 });
// The user's own resources next to the scheduler's, wired through what it exposes.
const consumerDeadLetters = new Queue(stack, 'ConsumerDlq', { enforceSSL: true });
new Queue(stack, 'Consumer', {
  enforceSSL: true,
  deadLetterQueue: { queue: consumerDeadLetters, maxReceiveCount: 3 },
});
if (typeof scheduler.outputQueue.queueArn !== 'string') {
  throw new Error(`PreciseScheduler.outputQueue has no ARN; received ${scheduler.outputQueue}`);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
const report = JSON.parse(readFileSync(`${outdir}/validation-report.json`, 'utf8'));
const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
if (nag?.conclusion !== 'success') {
  console.error(JSON.stringify(nag?.violations ?? report, null, 2));
  process.exit(1);
}
console.log(JSON.stringify({ stack: stack.stackName, nag: nag.conclusion }));
