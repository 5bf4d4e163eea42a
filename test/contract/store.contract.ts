// The store contract: the semantics of every state port (TokenState, Directory, ServerTokens, UsageCounters,
// Providers), pinned once, one suite a port, and run against each adapter (the embedded store and DynamoDB
// Local), so local mode and AWS cannot drift apart. A new adapter passes its factory here and runs them all.
import { describeDirectoryContract } from './directory.contract.ts';
import { describeProvidersContract } from './providers.contract.ts';
import { describeRevocationsContract } from './revocations.contract.ts';
import { describeServerTokensContract } from './server-tokens.contract.ts';
import type { StoreFactory } from './store-fixture.ts';
import { describeTokenRehomeContract } from './token-rehome.contract.ts';
import { describeTokenRotationContract } from './token-rotation.contract.ts';
import { describeTokenStateContract } from './token-state.contract.ts';
import { describeUsageCountersContract } from './usage-counters.contract.ts';

export type { StoreFactory } from './store-fixture.ts';

/**
 * Registers every port's contract for one adapter; each call of `makeStore` opens the four ports together.
 *
 * @example
 * describeStoreContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeStoreContract(adapter: string, makeStore: StoreFactory): void {
  describeTokenStateContract(adapter, makeStore);
  describeTokenRotationContract(adapter, makeStore);
  describeTokenRehomeContract(adapter, makeStore);
  describeDirectoryContract(adapter, makeStore);
  describeRevocationsContract(adapter, makeStore);
  describeServerTokensContract(adapter, makeStore);
  describeUsageCountersContract(adapter, makeStore);
  describeProvidersContract(adapter, makeStore);
}
