import { Aws, Duration, Expiration, Fn, type RemovalPolicy } from 'aws-cdk-lib';
import {
  AuthorizationType,
  Definition,
  FieldLogLevel,
  GraphqlApi,
  type AuthorizationMode,
} from 'aws-cdk-lib/aws-appsync';
import { Mfa, UserPool, UserPoolClient, type IUserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Properties of {@link SchedulerApi}. */
export interface SchedulerApiProps {
  /** The schema file deployed as is (AppSync declares its own scalars and directives). */
  readonly schemaFile: string;
  readonly apiName: string;
  /** Use this user pool instead of creating one. @default a new user pool */
  readonly userPool?: IUserPool;
  /** Import the user pool with this id instead of creating one. @default a new user pool */
  readonly userPoolId?: string;
  /** Name of the created user pool. @default a generated name */
  readonly userPoolName?: string;
  /** Removal policy of the created user pool. */
  readonly userPoolRemovalPolicy: RemovalPolicy;
  /** @default no API key */
  readonly apiKeyExpiresInDays?: number;
  readonly fieldLogLevel: FieldLogLevel;
  readonly verboseLogs: boolean;
  readonly logRetention: RetentionDays;
  /** Resolver environment variables (ctx.env). */
  readonly environmentVariables: Readonly<Record<string, string>>;
}

/** The AppSync API with Cognito as default auth, IAM (and optionally an API key) as extra modes. */
export class SchedulerApi extends Construct {
  readonly api: GraphqlApi;
  readonly userPool: IUserPool;
  readonly userPoolClient: UserPoolClient;
  /** The role AppSync writes its logs with, limited to the API's own log group. */
  readonly logsRole: Role;
  /** The wss:// real-time endpoint for subscriptions. */
  readonly realtimeUrl: string;

  constructor(scope: Construct, id: string, props: SchedulerApiProps) {
    super(scope, id);
    this.userPool =
      props.userPool ??
      (props.userPoolId === undefined
        ? createUserPool(this, props.userPoolName, props.userPoolRemovalPolicy)
        : UserPool.fromUserPoolId(this, 'UserPool', props.userPoolId));
    this.userPoolClient = new UserPoolClient(this, 'WebClient', {
      userPool: this.userPool,
      generateSecret: false,
      authFlows: { userSrp: true },
      // Apps sign in with SRP (Amplify's default). Left on, OAuth would get CDK's default flows
      // and an example.com callback URL: a hosted-UI client nobody configured.
      disableOAuth: true,
      preventUserExistenceErrors: true,
    });

    this.logsRole = new Role(this, 'LogsRole', {
      assumedBy: new ServicePrincipal('appsync.amazonaws.com'),
    });
    this.api = new GraphqlApi(this, 'Api', {
      name: props.apiName,
      definition: Definition.fromFile(props.schemaFile),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: AuthorizationType.USER_POOL,
          userPoolConfig: { userPool: this.userPool },
        },
        additionalAuthorizationModes: additionalModes(props.apiKeyExpiresInDays),
      },
      logConfig: {
        fieldLogLevel: props.fieldLogLevel,
        excludeVerboseContent: !props.verboseLogs,
        role: this.logsRole,
        retention: props.logRetention,
      },
      xrayEnabled: true,
      environmentVariables: { ...props.environmentVariables },
    });
    // Only the API's own log group; the default role would carry a managed policy for all groups.
    this.logsRole.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [
          `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:/aws/appsync/apis/${this.api.apiId}:*`,
        ],
      }),
    );
    this.realtimeUrl = realtimeUrlOf(this.api.graphqlUrl);
  }
}

/** A user pool for the API's users: admin-created accounts, strong passwords, optional TOTP. */
function createUserPool(
  scope: Construct,
  name: string | undefined,
  removalPolicy: RemovalPolicy,
): UserPool {
  return new UserPool(scope, 'UserPool', {
    userPoolName: name,
    selfSignUpEnabled: false,
    signInAliases: { username: true, email: true },
    mfa: Mfa.OPTIONAL,
    mfaSecondFactor: { otp: true, sms: false },
    passwordPolicy: {
      minLength: 12,
      requireDigits: true,
      requireLowercase: true,
      requireUppercase: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    removalPolicy,
  });
}

/** IAM for the dispatcher, plus an API key when asked for. */
function additionalModes(apiKeyExpiresInDays: number | undefined): AuthorizationMode[] {
  const modes: AuthorizationMode[] = [{ authorizationType: AuthorizationType.IAM }];
  if (apiKeyExpiresInDays !== undefined) {
    modes.push({
      authorizationType: AuthorizationType.API_KEY,
      apiKeyConfig: {
        description: 'Scheduler API key',
        expires: Expiration.after(Duration.days(apiKeyExpiresInDays)),
      },
    });
  }
  return modes;
}

/** https://<id>.appsync-api.<region>.amazonaws.com/graphql -> wss://<id>.appsync-realtime-api... */
function realtimeUrlOf(graphqlUrl: string): string {
  const realtimeHost = Fn.join('appsync-realtime-api', Fn.split('appsync-api', graphqlUrl));
  return Fn.join('wss://', Fn.split('https://', realtimeHost));
}
