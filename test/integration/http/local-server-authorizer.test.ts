import { afterEach, describe, expect, it } from 'vitest';
import * as auth from '../../../functions/auth.js';
import { TransientError } from '../../../shared/domain/errors.js';
import {
  type LocalServer,
  startLocalServer,
} from '../../../shared/http/local-server.js';

describe('local server: the authorizer failing on its dependencies', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('answers 503 with Retry-After when the key store is throttled', async () => {
    // Prepare
    server = await startLocalServer({
      port: 0,
      routes: [{ routes: auth.routes, handler: auth.handler }],
      authorize: async () => {
        throw new TransientError('store throttled', 2);
      },
    });
    // Act
    const res = await fetch(`${server.url}/v1/auth/whoami`, {
      headers: { 'x-api-key': 'cvg_anything' },
    });
    // Assess
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toMatchObject({
      code: 'transient',
      error: 'TransientError',
    });
  });
});
