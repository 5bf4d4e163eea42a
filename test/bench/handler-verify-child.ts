// The child process of handler-verify.ts: imports a built bundle (local mode, over the data folder the parent
// seeded) and measures its handler, called directly in this process, against a bare node:crypto verify of
// the same token, with the measuring of measure.ts. Its stdout is /dev/null, so the handler writes its log
// lines for real, as in Lambda, without flooding the bench's output; the figures go to the result file.
//
//   tsx handler-verify-child.ts <bundle> <request.json> <result.json>
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { interleaved } from './measure.ts';

export interface ChildRequest {
  token: string;
  jwk: { kty: string; crv: string; x: string; y: string };
  /** The events handed to the handler, by candidate name. */
  events: Record<string, unknown>;
  rounds: number;
  batchSize: number;
}

/** A Lambda context, as the runtime hands one over: the deadline timer and the log fields read it. */
function lambdaContext() {
  return {
    functionName: 'tessera-verify',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:tessera-verify',
    memoryLimitInMB: '256',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    getRemainingTimeInMillis: () => 3000,
  };
}

async function main(): Promise<void> {
  const [bundle = '', requestFile = '', resultFile = ''] = process.argv.slice(2);
  const request = JSON.parse(readFileSync(requestFile, 'utf8')) as ChildRequest;
  const { handler } = (await import(bundle)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  const { token } = request;
  const key = createPublicKey({ key: request.jwk, format: 'jwk' });
  const bare = () => {
    const dot = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(dot + 1), 'base64url');
    if (!verify('sha256', Buffer.from(token.slice(0, dot)), { key, dsaEncoding: 'ieee-p1363' }, signature)) {
      throw new Error('bare verify failed');
    }
  };
  const candidates: { name: string; op: () => unknown }[] = [{ name: 'bare', op: bare }];
  const context = lambdaContext();
  for (const [name, event] of Object.entries(request.events)) {
    const answer = JSON.stringify(await handler(event, context));
    if (!/"?valid\\?"?:true/.test(answer)) {
      throw new Error(`${name}: the handler did not verify the token: ${answer}`);
    }
    candidates.push({ name, op: () => handler(event, context) });
  }
  const { rates, ratios } = await interleaved(candidates, request);
  await writeFile(resultFile, JSON.stringify({ rates, ratios }));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
