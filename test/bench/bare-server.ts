// The yardstick for the local server: a node:http server on 127.0.0.1:0 that reads `{"token"}` and does
// only the ES256 signature check with node:crypto (no claims, no store, no logging). The public JWK comes in
// BENCH_JWK; it prints `listening on <url>` once ready. Run by server-throughput.ts, never on its own.
import { createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const jwk = JSON.parse(process.env.BENCH_JWK ?? '{}') as { kty: string; crv: string; x: string; y: string };
const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let valid = false;
    try {
      const { token } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token: string };
      const dot = token.lastIndexOf('.');
      const signature = Buffer.from(token.slice(dot + 1), 'base64url');
      valid = verify(
        'sha256',
        Buffer.from(token.slice(0, dot)),
        { key, dsaEncoding: 'ieee-p1363' },
        signature,
      );
    } catch {
      valid = false;
    }
    response.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ valid }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
