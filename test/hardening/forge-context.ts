// What every forged token of the hardening catalogue starts from: one genuine FixedTtl token of alice,
// issued by a running test server, with its header and payload, the server's signer and the frozen clock's
// now; and the small edits the forgeries make to it (claims or header members changed, re-signed by the
// service's key).
import type { TokenErrorCode } from '../../functions/core/errors.ts';
import type { Signer } from '../../functions/core/ports.ts';
import { forgeToken, partsOf } from '../helpers/forge.ts';
import { seedThroughApi, type TestServer } from '../helpers/server.ts';

export interface ForgeContext {
  signer: Signer;
  kid: string;
  /** A genuine FixedTtl token of alice, and its header and payload. */
  genuine: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  now: number;
}

export type Attack = [
  name: string,
  code: TokenErrorCode,
  forge: (ctx: ForgeContext) => string | Promise<string>,
];

/** The genuine payload with some claims changed or removed (undefined removes). */
export function claims(ctx: ForgeContext, change: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = { ...ctx.payload, ...change };
  for (const [name, value] of Object.entries(change)) if (value === undefined) delete payload[name];
  return payload;
}

/** The genuine header with members added, changed or removed (undefined removes). */
export function header(ctx: ForgeContext, change: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...ctx.header, ...change };
  for (const [name, value] of Object.entries(change)) if (value === undefined) delete result[name];
  return result;
}

export const service = (ctx: ForgeContext, h: unknown, p: unknown) => forgeToken(ctx.signer, h, p);
/**
 * Seeds an ecosystem with alice on a running test server and issues her a FixedTtl token of an hour: the
 * genuine token every forgery starts from, with the server's own signer and the frozen clock's `now`.
 *
 * @example
 * ctx = await genuineContext(server, clock.seconds());
 */
export async function genuineContext(server: TestServer, now: number): Promise<ForgeContext> {
  const { ecosystemId, serverToken } = await seedThroughApi(server);
  const issued = await server.call(
    'POST',
    `/v1/ecosystems/${ecosystemId}/users/alice/tokens?expiryType=FixedTtl&ttl=3600`,
    { bearer: serverToken },
  );
  const signer = server.local.deps.signer;
  const { header: h, payload } = partsOf(issued.body.token);
  return { signer, kid: await signer.kid(), genuine: issued.body.token, header: h, payload, now };
}
