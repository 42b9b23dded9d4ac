import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AcceptedFinding } from './nag-suppressions.js';
import { PreciseScheduler } from './precise-scheduler.js';
import type { PreciseSchedulerProps } from './precise-scheduler-props.js';

/** Properties of {@link SchedulerStack}: the stack's own and the scheduler's, all optional. */
export interface SchedulerStackProps extends StackProps, PreciseSchedulerProps {}

/**
 * A stack holding one {@link PreciseScheduler} and the outputs clients need: what `cdk deploy`
 * of this repository creates.
 */
export class SchedulerStack extends Stack {
  readonly scheduler: PreciseScheduler;

  constructor(scope: Construct, id: string, props: SchedulerStackProps = {}) {
    super(scope, id, props);
    // "Default" leaves no trace in logical ids: resources keep the ids they had when the stack
    // built them itself, so an existing deployment updates in place instead of replacing them.
    this.scheduler = new PreciseScheduler(this, 'Default', props);
    this.addOutputs();
  }

  /** The cdk-nag findings the scheduler accepts, each with its reason. */
  get acceptedFindings(): readonly AcceptedFinding[] {
    return this.scheduler.acceptedFindings;
  }

  private addOutputs(): void {
    const { scheduler } = this;
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('GraphqlUrl', scheduler.graphqlUrl, 'AppSync GraphQL endpoint (HTTPS)');
    output(
      'RealtimeUrl',
      scheduler.realtimeUrl,
      'AppSync real-time endpoint for subscriptions (WSS)',
    );
    output('OutputQueueUrl', scheduler.outputQueue.queueUrl, 'SQS queue receiving fired payloads');
    output('UserPoolId', scheduler.userPool.userPoolId, 'Cognito user pool of the API users');
    output(
      'UserPoolClientId',
      scheduler.userPoolClient.userPoolClientId,
      'Cognito app client for web and mobile clients',
    );
    output('Region', this.region, 'Region of the API, for Amplify.configure');
  }
}
