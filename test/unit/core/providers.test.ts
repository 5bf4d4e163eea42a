// The provider use-cases on the real in-memory store and secret box: put (201/200), get, list and delete,
// the secret sealed and never answered, and the refusals with their codes.
import { describe, expect, it } from 'vitest';
import { isoFromSeconds } from '../../../functions/core/clock.ts';
import { deleteEcosystem } from '../../../functions/core/ecosystems.ts';
import { TesseraError } from '../../../functions/core/errors.ts';
import {
  deleteProvider,
  getProvider,
  listProviders,
  putProvider,
} from '../../../functions/core/providers.ts';
import { seededDeps } from '../../helpers/deps.ts';
import { providerBodies, secretOf } from '../../helpers/providers.ts';

const ref = (providerId: string) => ({ ecosystemId: 'eco1', providerId });

async function codeOf(call: Promise<unknown>): Promise<string> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof TesseraError)) throw new Error(`expected a TesseraError, got ${String(err)}`);
  return err.code;
}

describe('putProvider', () => {
  it('creates (201) then replaces (200) a provider, answering its settings and createdAt, never its secret', async () => {
    const deps = await seededDeps();
    const bodies = providerBodies();
    const created = await putProvider(deps, { ...ref('chat'), body: bodies.twilio });
    const { apiKeySecret: _secret, ...settings } = bodies.twilio;
    expect(created).toEqual({
      created: true,
      provider: { providerId: 'chat', createdAt: isoFromSeconds(deps.clock.seconds()), ...settings },
    });
    expect(Object.keys(created.provider).slice(0, 3)).toEqual(['providerId', 'type', 'createdAt']);
    deps.clock.advance(60);
    const replaced = await putProvider(deps, { ...ref('chat'), body: bodies.stream });
    expect(replaced).toEqual({
      created: false,
      provider: { providerId: 'chat', type: 'stream', createdAt: created.provider.createdAt, ttl: null },
    });
    expect(JSON.stringify([created, replaced])).not.toContain(secretOf(bodies.twilio));
    expect(JSON.stringify(replaced)).not.toContain(secretOf(bodies.stream));
  });

  it('stores the secret sealed for this ecosystem and provider, never in plain text', async () => {
    const deps = await seededDeps();
    const { infobip } = providerBodies();
    await putProvider(deps, { ...ref('push'), body: infobip });
    const record = await deps.providers.getProvider('eco1', 'push');
    expect(JSON.stringify(record)).not.toContain(infobip.secretKeyHex);
    expect(await deps.secretBox.open(record?.sealedSecret ?? '', ref('push'))).toBe(infobip.secretKeyHex);
  });

  it('refuses a malformed body or providerId with PROVIDER_INVALID, an unknown ecosystem with ECOSYSTEM_NOT_FOUND', async () => {
    const deps = await seededDeps();
    const { stream } = providerBodies();
    expect(await codeOf(putProvider(deps, { ...ref('chat'), body: { type: 'x' } }))).toBe('PROVIDER_INVALID');
    expect(await codeOf(putProvider(deps, { ...ref('-chat'), body: stream }))).toBe('PROVIDER_INVALID');
    expect(await codeOf(putProvider(deps, { ...ref('a/b'), body: stream }))).toBe('PROVIDER_INVALID');
    expect(await codeOf(putProvider(deps, { ecosystemId: 'nope', providerId: 'chat', body: stream }))).toBe(
      'ECOSYSTEM_NOT_FOUND',
    );
    expect(await deps.providers.listProviders('eco1')).toEqual([]);
  });
});

describe('getProvider, listProviders, deleteProvider', () => {
  it('reads, lists in providerId order, and deletes', async () => {
    const deps = await seededDeps();
    const bodies = providerBodies();
    await putProvider(deps, { ...ref('video'), body: bodies.twilio });
    await putProvider(deps, { ...ref('chat'), body: bodies.stream });
    expect(await getProvider(deps, ref('chat'))).toMatchObject({ providerId: 'chat', type: 'stream' });
    const { providers } = await listProviders(deps, 'eco1');
    expect(providers.map((p) => p.providerId)).toEqual(['chat', 'video']);
    expect(JSON.stringify(providers)).not.toContain(secretOf(bodies.twilio));
    await deleteProvider(deps, ref('chat'));
    expect(await codeOf(getProvider(deps, ref('chat')))).toBe('PROVIDER_NOT_FOUND');
    expect(await codeOf(deleteProvider(deps, ref('chat')))).toBe('PROVIDER_NOT_FOUND');
  });

  it('names the missing ecosystem first, and refuses a malformed providerId', async () => {
    const deps = await seededDeps();
    const gone = { ecosystemId: 'nope', providerId: 'chat' };
    expect(await codeOf(getProvider(deps, gone))).toBe('ECOSYSTEM_NOT_FOUND');
    expect(await codeOf(deleteProvider(deps, gone))).toBe('ECOSYSTEM_NOT_FOUND');
    expect(await codeOf(listProviders(deps, 'nope'))).toBe('ECOSYSTEM_NOT_FOUND');
    expect(await codeOf(getProvider(deps, ref('.x')))).toBe('PROVIDER_INVALID');
  });

  it("deletes an ecosystem's providers with the ecosystem", async () => {
    const deps = await seededDeps();
    await putProvider(deps, { ...ref('chat'), body: providerBodies().stream });
    await deleteEcosystem(deps, 'eco1');
    expect(await deps.providers.getProvider('eco1', 'chat')).toBeUndefined();
    expect(await codeOf(getProvider(deps, ref('chat')))).toBe('ECOSYSTEM_NOT_FOUND');
  });
});
