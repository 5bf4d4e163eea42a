// The refusal a client call ends in, for tests that assert its code and status.
import { TesseraClientError } from '../../../functions/client/index.ts';

/**
 * Runs `action` and answers the TesseraClientError it throws; fails if it answers or throws anything else.
 *
 * @example
 * expect((await refusal(() => client.verifyToken('nope'))).code).toBe('TOKEN_STRUCTURE_INVALID');
 */
export async function refusal(action: () => Promise<unknown>): Promise<TesseraClientError> {
  try {
    await action();
  } catch (err) {
    if (err instanceof TesseraClientError) return err;
    throw err;
  }
  throw new Error('expected a TesseraClientError, got an answer');
}
