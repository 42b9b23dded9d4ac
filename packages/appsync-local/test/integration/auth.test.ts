import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError, authenticate } from '../../src/auth/authenticate.js';
import { DEV_TOKEN_ISSUER, devUserSub, mintDevToken } from '../../src/auth/dev-jwt.js';
import { generateApiKey } from '../../src/auth/dev-keys.js';

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef').toString('base64url');
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
const CONFIG = { apiKey: 'da2-testkey', jwtSecret: SECRET, iamCredentials: CREDENTIALS };
const BODY = JSON.stringify({ query: '{ __typename }' });

async function signedRequest(
  options: { service?: string; secret?: string; body?: string } = {},
): Promise<{ method: string; url: string; headers: Record<string, string>; body: string }> {
  const signer = new SignatureV4({
    credentials: { ...CREDENTIALS, secretAccessKey: options.secret ?? CREDENTIALS.secretAccessKey },
    region: 'us-east-1',
    service: options.service ?? 'appsync',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      hostname: '127.0.0.1',
      port: 4000,
      path: '/graphql',
      headers: { host: '127.0.0.1:4000', 'content-type': 'application/json' },
      body: BODY,
    }),
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return { method: 'POST', url: '/graphql', headers, body: options.body ?? BODY };
}

const refusal = (promise: Promise<unknown>) =>
  expect(promise).rejects.toBeInstanceOf(UnauthorizedError);

describe('local endpoint authentication', () => {
  it('accepts the API key and refuses a wrong or missing one', async () => {
    // Prepare
    const withKey = (key: string) => ({
      method: 'POST',
      url: '/graphql',
      headers: { 'x-api-key': key },
      body: BODY,
    });

    // Act
    const caller = await authenticate(withKey('da2-testkey'), CONFIG, '127.0.0.1');

    // Assess
    expect(caller).toMatchObject({ authMode: 'API_KEY', identity: null });
    await refusal(authenticate(withKey('da2-wrong'), CONFIG, '127.0.0.1'));
    await refusal(
      authenticate(
        { method: 'POST', url: '/graphql', headers: {}, body: BODY },
        CONFIG,
        '127.0.0.1',
      ),
    );
  });

  it('accepts a minted dev JWT with Cognito-shaped claims and a stable sub', async () => {
    // Prepare
    const token = await mintDevToken(SECRET, 'alice');

    // Act
    const caller = await authenticate(
      { method: 'POST', url: '/graphql', headers: { authorization: token }, body: BODY },
      CONFIG,
      '10.0.0.1',
    );

    // Assess
    expect(caller.authMode).toBe('AMAZON_COGNITO_USER_POOLS');
    expect(caller.identity).toMatchObject({
      sub: devUserSub('alice'),
      username: 'alice',
      issuer: DEV_TOKEN_ISSUER,
      sourceIp: ['10.0.0.1'],
    });
    expect(devUserSub('alice')).toBe(devUserSub('alice'));
    expect(devUserSub('alice')).not.toBe(devUserSub('bob'));
  });

  it('refuses expired, forged and foreign-issuer tokens', async () => {
    // Prepare
    const expired = await mintDevToken(SECRET, 'alice', { expiresInSeconds: -10 });
    const forged = await mintDevToken(
      Buffer.from('another-secret-another-secret!!').toString('base64url'),
      'alice',
    );
    const foreign = await new SignJWT({ 'cognito:username': 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('https://elsewhere')
      .setExpirationTime('1h')
      .sign(new Uint8Array(Buffer.from(SECRET, 'base64url')));
    const asRequest = (token: string) => ({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: token },
      body: BODY,
    });

    // Act and Assess
    await expect(authenticate(asRequest(expired), CONFIG, '127.0.0.1')).rejects.toThrow(/exp/);
    await refusal(authenticate(asRequest(forged), CONFIG, '127.0.0.1'));
    await refusal(authenticate(asRequest(foreign), CONFIG, '127.0.0.1'));
    await refusal(authenticate(asRequest('not-a-jwt'), CONFIG, '127.0.0.1'));
  });

  it('accepts a SigV4 signature for appsync made with the local credentials', async () => {
    // Prepare
    const request = await signedRequest();

    // Act
    const caller = await authenticate(request, CONFIG, '127.0.0.1');

    // Assess
    expect(caller.authMode).toBe('AWS_IAM');
    expect(caller.identity).toMatchObject({ accountId: '000000000000', username: 'local' });
  });

  it('refuses SigV4 with a wrong secret, another service or a tampered body', async () => {
    // Prepare
    const wrongSecret = await signedRequest({ secret: 'guessed' });
    const wrongService = await signedRequest({ service: 'sqs' });
    const tampered = await signedRequest({ body: BODY.replace('__typename', 'schedule') });

    // Act and Assess
    await expect(authenticate(wrongSecret, CONFIG, '127.0.0.1')).rejects.toThrow(/does not match/);
    await expect(authenticate(wrongService, CONFIG, '127.0.0.1')).rejects.toThrow(/service "sqs"/);
    await expect(authenticate(tampered, CONFIG, '127.0.0.1')).rejects.toThrow(/does not match/);
    const { ['x-amz-content-sha256']: _hash, ...unhashed } = tampered.headers;
    await expect(
      authenticate({ ...tampered, headers: unhashed }, CONFIG, '127.0.0.1'),
    ).rejects.toThrow(/signed header|does not match/);
  });

  it('generates AppSync-looking API keys', () => {
    expect(generateApiKey()).toMatch(/^da2-[a-z0-9]{26}$/);
  });
});
