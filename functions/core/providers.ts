// The token providers of an ecosystem (PUT/GET/DELETE …/providers/{providerId}, GET …/providers): the body
// checked per type (providers-model.ts), the secret sealed by the SecretBox before anything is stored, and
// answers that carry the settings only, never the secret in any form.
import { epochSeconds, isoFromSeconds } from './clock.ts';
import type { Deps } from './deps.ts';
import { requireEcosystem } from './ecosystems.ts';
import { TesseraError } from './errors.ts';
import { isValidId } from './ids.ts';
import type { ProviderRecord } from './ports.ts';
import { type ProviderSettings, parseProvider, providerIdInvalid } from './providers-model.ts';
import type { JsonObject } from './strict-json.ts';

/** A provider as answered: its id, type, createdAt and its other settings, never its secret. */
export type ProviderView = { providerId: string; createdAt: string | null } & ProviderSettings;

/** Names a provider of an ecosystem. */
export interface ProviderRef {
  ecosystemId: string;
  providerId: string;
}

/** The view of a record: settings copied member by member, so nothing else of the record can leak. */
function providerView(record: ProviderRecord): ProviderView {
  const { type, ...settings } = record.settings;
  return {
    providerId: record.providerId,
    type,
    createdAt: isoFromSeconds(record.createdAt),
    ...settings,
  } as ProviderView;
}

function assertProviderId(providerId: string): void {
  if (!isValidId(providerId)) throw providerIdInvalid();
}

/** The PROVIDER_NOT_FOUND error, worded once. */
export function providerNotFound(providerId: string): TesseraError {
  return new TesseraError('PROVIDER_NOT_FOUND', `No provider "${providerId}" in this ecosystem.`);
}

/** ECOSYSTEM_NOT_FOUND when the ecosystem is gone too, else PROVIDER_NOT_FOUND. */
async function throwMissingProvider(deps: Pick<Deps, 'directory'>, ref: ProviderRef): Promise<never> {
  await requireEcosystem(deps, ref.ecosystemId);
  throw providerNotFound(ref.providerId);
}

/**
 * Creates (201) or replaces (200) a provider: the body is checked, then the secret sealed for this ecosystem
 * and provider, then the record stored. A replace keeps createdAt and takes a new secret (the body always
 * carries one).
 *
 * @example
 * const { created, provider } = await putProvider(deps, { ecosystemId, providerId: 'chat', body });
 */
export async function putProvider(
  deps: Pick<Deps, 'directory' | 'providers' | 'secretBox' | 'clock' | 'config'>,
  input: ProviderRef & { body: JsonObject },
): Promise<{ created: boolean; provider: ProviderView }> {
  const { ecosystemId, providerId } = input;
  assertProviderId(providerId);
  const { settings, secret } = parseProvider(input.body, deps.config.maxTtlSeconds);
  // Read first: an unknown ecosystem costs no KMS call; the write below checks it again, atomically.
  await requireEcosystem(deps, ecosystemId);
  const sealedSecret = await deps.secretBox.seal(secret, { ecosystemId, providerId });
  const createdAt = epochSeconds(deps.clock.now());
  const put = await deps.providers.putProvider({
    ecosystemId,
    providerId,
    settings,
    sealedSecret,
    createdAt,
  });
  if (put === undefined) throw new TesseraError('ECOSYSTEM_NOT_FOUND', `No ecosystem "${ecosystemId}".`);
  return { created: put.created, provider: providerView(put.provider) };
}

export async function getProvider(
  deps: Pick<Deps, 'directory' | 'providers'>,
  ref: ProviderRef,
): Promise<ProviderView> {
  assertProviderId(ref.providerId);
  const record = await deps.providers.getProvider(ref.ecosystemId, ref.providerId);
  return record === undefined ? throwMissingProvider(deps, ref) : providerView(record);
}

/**
 * The ecosystem's providers, in providerId order.
 *
 * @example
 * const { providers } = await listProviders(deps, 'eco1');
 */
export async function listProviders(
  deps: Pick<Deps, 'directory' | 'providers'>,
  ecosystemId: string,
): Promise<{ providers: ProviderView[] }> {
  await requireEcosystem(deps, ecosystemId);
  const records = await deps.providers.listProviders(ecosystemId);
  return { providers: records.map(providerView) };
}

/** Deletes the provider: exchanges for it answer PROVIDER_NOT_FOUND from the next request on. */
export async function deleteProvider(
  deps: Pick<Deps, 'directory' | 'providers'>,
  ref: ProviderRef,
): Promise<void> {
  assertProviderId(ref.providerId);
  if (!(await deps.providers.deleteProvider(ref.ecosystemId, ref.providerId))) {
    await throwMissingProvider(deps, ref);
  }
}
