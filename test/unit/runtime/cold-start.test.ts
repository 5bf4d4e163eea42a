// When a handler module builds its dependencies: at load in Lambda (the init phase), at the first request
// anywhere else, and again after a failed build.
import { describe, expect, it } from 'vitest';
import type { Deps } from '../../../functions/core/deps.ts';
import { atColdStart } from '../../../functions/runtime/cold-start.ts';
import { testDeps } from '../../helpers/deps.ts';

function countingBuild(outcomes: Array<Deps | Error>) {
  let calls = 0;
  const build = async () => {
    const outcome = outcomes[Math.min(calls, outcomes.length - 1)];
    calls++;
    if (outcome instanceof Error || outcome === undefined) throw outcome ?? new Error('no outcome');
    return outcome;
  };
  return { build, calls: () => calls };
}

describe('atColdStart', () => {
  it('starts building at module load in Lambda, and the first request reuses that build', async () => {
    const deps = await testDeps();
    const counted = countingBuild([deps]);
    const get = atColdStart(counted.build, { AWS_LAMBDA_FUNCTION_NAME: 'tessera-verify' });
    expect(counted.calls()).toBe(1);
    expect(await get()).toBe(deps);
    expect(await get()).toBe(deps);
    expect(counted.calls()).toBe(1);
  });

  it('builds nothing outside Lambda until the first request asks', async () => {
    const deps = await testDeps();
    const counted = countingBuild([deps]);
    const get = atColdStart(counted.build, {});
    expect(counted.calls()).toBe(0);
    expect(await get()).toBe(deps);
    expect(counted.calls()).toBe(1);
  });

  it('retries at the next request when the build at load failed', async () => {
    const deps = await testDeps();
    const counted = countingBuild([new Error('KMS unreachable'), deps]);
    const get = atColdStart(counted.build, { AWS_LAMBDA_FUNCTION_NAME: 'tessera-verify' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await get()).toBe(deps);
    expect(counted.calls()).toBe(2);
  });
});
