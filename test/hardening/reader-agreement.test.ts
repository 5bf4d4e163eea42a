// The whole attack catalogue (attack-forgeries.ts) through the three readers of a token: the service's
// verify over real HTTP, the client's OfflineVerifier on the service's JWKS, and the client's precheckToken.
// They run one reader (functions/core/token-reader.ts); this checks that they also judge alike. Agreement,
// for each forged token (each breaks one rule of a genuine FixedTtl token):
//
// - the service answers the catalogue's code for it (so this table is the catalogue's);
// - the offline verifier, holding the same JWKS, issuer, clock and clock skew, answers the very same code,
//   except where only the store knows: a token the service refuses as TOKEN_REVOKED (revoked, or never
//   issued) holds offline, which is the documented limit of offline verification;
// - the pre-check holds no key, no issuer and no store and judges only the format and `exp`. When it
//   refuses, it refuses with the service's code. When it lets a token pass, the service's refusal is one
//   that needs what the pre-check lacks: the signature (TOKEN_SIGNATURE_INVALID), the issuer's clock skew
//   for `iat`/`nbf` (TOKEN_NOT_YET_VALID), the store (TOKEN_REVOKED), or TOKEN_STRUCTURE_INVALID for a
//   kid the JWKS does not publish or an issuer that is not the service's.
import { beforeAll, describe, expect, it } from 'vitest';
import { TesseraClientError } from '../../functions/client/client-error.ts';
import { OfflineVerifier } from '../../functions/client/offline-verifier.ts';
import { inspectToken, precheckToken } from '../../functions/client/token-precheck.ts';
import { frozenClock } from '../helpers/clock.ts';
import { useTestServer } from '../helpers/use-test-server.ts';
import { ATTACKS } from './attack-forgeries.ts';
import { type ForgeContext, genuineContext } from './forge-context.ts';

/** What the pre-check cannot see: these refusals may pass it (see the header for the structure case). */
const BEYOND_THE_PRECHECK = ['TOKEN_SIGNATURE_INVALID', 'TOKEN_NOT_YET_VALID', 'TOKEN_REVOKED'];

/** `valid` (or `passed`), or the code of the TesseraClientError a client check threw. */
async function clientVerdict(check: () => unknown, pass: string): Promise<string> {
  try {
    await check();
    return pass;
  } catch (err) {
    if (err instanceof TesseraClientError) return err.code;
    throw err;
  }
}

describe('the service, the offline verifier and the pre-check on the attack catalogue', () => {
  const clock = frozenClock(Math.floor(Date.now() / 1000));
  const server = useTestServer({ clock });
  let ctx: ForgeContext;
  let offline: OfflineVerifier;
  let issuer: string;
  let publishedKids: Set<string>;

  const serviceVerdict = async (token: string): Promise<string> => {
    const answer = await server.call('POST', '/v1/tokens/verify', { body: { token } });
    return answer.status === 200 ? 'valid' : answer.body.error.code;
  };
  const offlineVerdict = (token: string) => clientVerdict(() => offline.verify(token), 'valid');
  const precheckVerdict = (token: string) =>
    clientVerdict(() => precheckToken(token, { now: clock.now }), 'passed');

  beforeAll(async () => {
    ctx = await genuineContext(server, clock.seconds());
    const { config, signer } = server.local.deps;
    issuer = config.issuer;
    publishedKids = new Set((await signer.publicKeys()).map((jwk) => jwk.kid));
    offline = new OfflineVerifier({
      jwksUrl: `${server.url}/.well-known/jwks.json`,
      issuer,
      clockSkewSeconds: config.clockSkewSeconds,
      now: clock.now,
    });
  });

  it('lets the genuine token through all three, so each refusal below is earned', async () => {
    expect(await serviceVerdict(ctx.genuine)).toBe('valid');
    expect(await offlineVerdict(ctx.genuine)).toBe('valid');
    expect(await precheckVerdict(ctx.genuine)).toBe('passed');
  });

  it.each(ATTACKS)('agree on %s (%s)', async (_name, code, forge) => {
    const token = await forge(ctx);
    const service = await serviceVerdict(token);
    expect(service).toBe(code);

    expect(await offlineVerdict(token)).toBe(service === 'TOKEN_REVOKED' ? 'valid' : service);

    const precheck = await precheckVerdict(token);
    if (precheck !== 'passed') {
      expect(precheck).toBe(service);
    } else if (service === 'TOKEN_STRUCTURE_INVALID') {
      const { kid, issuer: named } = inspectToken(token);
      expect({ kidPublished: publishedKids.has(kid), issuerOurs: named === issuer }).not.toEqual({
        kidPublished: true,
        issuerOurs: true,
      });
    } else {
      expect(BEYOND_THE_PRECHECK).toContain(service);
    }
  });
});
