// The direct invocations of issue and verify with the v1.1 members: issue's {"audience","label"} and
// verify's {"audience"}, answered as plain JSON, with the codes the HTTP routes answer.
import { describe, expect, it } from 'vitest';
import { listUserTokens } from '../../../functions/core/users.ts';
import { createHandler as issueHandler } from '../../../functions/issue/handler.ts';
import { createHandler as verifyHandler } from '../../../functions/verify/handler.ts';
import { seededDeps } from '../../helpers/deps.ts';
import { payloadOf } from '../../helpers/forge.ts';

describe('direct events with an audience and a label', () => {
  it('issues for audiences with a label, and verifies for one of them', async () => {
    const deps = await seededDeps();
    const issued = (await issueHandler(deps)({
      ecosystemId: 'eco1',
      userId: 'alice',
      audience: ['chat-api'],
      label: 'worker',
    })) as { token: string };
    expect(payloadOf(issued.token).aud).toEqual(['chat-api']);
    const { tokens } = await listUserTokens(deps, { ecosystemId: 'eco1', userId: 'alice' });
    expect(tokens.map((t) => t.label)).toEqual(['worker']);

    const verify = verifyHandler(deps);
    await expect(verify({ token: issued.token, audience: 'chat-api' })).resolves.toMatchObject({
      valid: true,
      audience: ['chat-api'],
    });
    await expect(verify({ token: issued.token, audience: 'billing' })).resolves.toMatchObject({
      valid: false,
      error: { code: 'TOKEN_AUDIENCE_INVALID' },
    });
    await expect(verify({ token: issued.token, audience: ['chat-api'] })).resolves.toMatchObject({
      valid: false,
      error: { code: 'BODY_INVALID' },
    });
  });

  it('refuses a malformed audience or label on issue with BODY_INVALID', async () => {
    const deps = await seededDeps();
    const issue = issueHandler(deps);
    for (const extra of [{ audience: 'chat-api' }, { label: '' }, { audience: [] }]) {
      await expect(issue({ ecosystemId: 'eco1', userId: 'alice', ...extra })).resolves.toMatchObject({
        error: { code: 'BODY_INVALID' },
      });
    }
  });
});
