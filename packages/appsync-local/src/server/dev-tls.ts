import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/** A self-signed certificate for localhost, so wss:// (which Amplify JS always uses) works. */
export interface DevCertificate {
  readonly key: string;
  readonly cert: string;
  /** Where the certificate is kept (trust it, or pass it as NODE_EXTRA_CA_CERTS); undefined in memory mode. */
  readonly certPath: string | undefined;
}

async function generateCertificate(): Promise<{ key: string; cert: string }> {
  const notAfterDate = new Date(Date.now() + 825 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** The data directory's certificate (made on first use), or a fresh one per memory-mode run. */
export async function loadDevCertificate(dataDir: string | undefined): Promise<DevCertificate> {
  if (dataDir === undefined) return { ...(await generateCertificate()), certPath: undefined };
  const dir = join(dataDir, 'tls');
  const keyPath = join(dir, 'localhost-key.pem');
  const certPath = join(dir, 'localhost-cert.pem');
  try {
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    return { key, cert, certPath };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const generated = await generateCertificate();
  await mkdir(dir, { recursive: true });
  await writeFile(keyPath, generated.key, { mode: 0o600 });
  await writeFile(certPath, generated.cert);
  return { ...generated, certPath };
}
