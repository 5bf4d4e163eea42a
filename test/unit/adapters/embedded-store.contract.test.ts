// The Store contract against the embedded store (local mode), in memory.
import { EmbeddedStore } from '../../../functions/adapters/embedded-store.ts';
import { describeStoreContract } from '../../contract/store.contract.ts';

describeStoreContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
