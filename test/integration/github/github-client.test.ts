import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  CircuitStateName,
  GitHubOctokit,
} from '../../../shared/adapters/github/github-client.js';
import { GitHubApiError } from '../../../shared/adapters/github/github-errors.js';
import {
  NotFoundError,
  TransientError,
} from '../../../shared/domain/errors.js';
import type { MetricsSink } from '../../../shared/ports/metrics.js';
import { FakeGitHub } from '../../support/fake-github.js';
import {
  closeAndCheckSpec,
  INSTALLATION_ID,
  sleep,
  testClient,
} from './github-harness.js';

const TOKEN_PATH = /^\/app\/installations\/\d+\/access_tokens$/;
const REF_PATH = /\/git\/ref\/heads\/main$/;

describe('GitHubClient', () => {
  let fake: FakeGitHub;

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    fake.createRepo('acme/app');
  });

  afterEach(async () => {
    await closeAndCheckSpec(fake);
  });

  const getMain = (o: GitHubOctokit) =>
    o.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/main' });

  it('fetches the installation token once and reuses it across calls', async () => {
    // Prepare
    const client = testClient(fake);

    // Act
    for (let i = 0; i < 5; i += 1) {
      await client.call(INSTALLATION_ID, 'GET ref', getMain);
    }
    await client.call(7, 'GET ref', getMain);

    // Assess
    expect(fake.count('POST', TOKEN_PATH)).toBe(2);
    expect(fake.tokens.map((t) => t.installationId)).toEqual([
      INSTALLATION_ID,
      7,
    ]);
    expect(fake.count('GET', REF_PATH)).toBe(6);
  });

  it('retries 5xx inside one call (plugin-retry) and succeeds', async () => {
    // Prepare
    const client = testClient(fake);
    await client.call(INSTALLATION_ID, 'GET ref', getMain);
    fake.failNext(2, 503, { match: REF_PATH });

    // Act
    const { data } = await client.call(INSTALLATION_ID, 'GET ref', getMain);

    // Assess
    expect(data.object.sha).toBe(fake.repo('acme/app').resolve('main'));
    expect(fake.count('GET', REF_PATH)).toBe(4);
    expect(client.circuitState).toBe('closed');
  });

  it('maps 404 to NotFoundError without retrying it', async () => {
    // Prepare
    const client = testClient(fake);

    // Act
    const call = client.call(INSTALLATION_ID, 'GET ref', (o) =>
      o.rest.git.getRef({ owner: 'acme', repo: 'app', ref: 'heads/nope' }),
    );

    // Assess
    await expect(call).rejects.toBeInstanceOf(NotFoundError);
    expect(fake.count('GET', /\/git\/ref\/heads\/nope$/)).toBe(1);
  });

  it('maps a 403 without rate limiting to a permanent GitHubApiError', async () => {
    // Prepare
    const client = testClient(fake);
    await client.call(INSTALLATION_ID, 'GET ref', getMain);
    fake.failNext(1, 403);

    // Act
    const error = await client
      .call(INSTALLATION_ID, 'GET ref', getMain)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(403);
    expect(fake.count('GET', REF_PATH)).toBe(2);
    expect(client.circuitState).toBe('closed');
  });

  it('turns a 5xx that outlasts the retries into a TransientError', async () => {
    // Prepare
    const client = testClient(fake);
    await client.call(INSTALLATION_ID, 'GET ref', getMain);
    fake.failNext(Number.POSITIVE_INFINITY, 500, { match: REF_PATH });

    // Act
    const call = client.call(INSTALLATION_ID, 'GET ref', getMain);

    // Assess: the first try and 2 retries.
    await expect(call).rejects.toBeInstanceOf(TransientError);
    expect(fake.count('GET', REF_PATH, true)).toBe(1);
    expect(fake.count('GET', REF_PATH)).toBe(4);
  });

  it('gives a 429 as a TransientError with its Retry-After when throttling is off', async () => {
    // Prepare
    const client = testClient(fake);
    await client.call(INSTALLATION_ID, 'GET ref', getMain);
    fake.failNext(1, 429, { retryAfter: 7 });

    // Act
    const error = await client
      .call(INSTALLATION_ID, 'GET ref', getMain)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterSeconds).toBe(7);
    expect(fake.count('GET', REF_PATH)).toBe(2);
  });

  it('waits out a secondary rate limit when throttling is on', async () => {
    // Prepare
    const client = testClient(fake, { throttle: { enabled: true } });
    await client.call(INSTALLATION_ID, 'GET ref', getMain);
    fake.failNext(1, 429, { retryAfter: 1, match: REF_PATH });

    // Act
    const { data } = await client.call(INSTALLATION_ID, 'GET ref', getMain);

    // Assess
    expect(data.ref).toBe('refs/heads/main');
    expect(fake.count('GET', REF_PATH)).toBe(3);
    expect(fake.count('GET', REF_PATH, true)).toBe(2);
  });

  it('opens the circuit after 5 failed calls, fails fast, then recovers', async () => {
    // Prepare
    const states: CircuitStateName[] = [];
    const client = testClient(fake, {
      onCircuitStateChange: (state) => states.push(state),
    });
    await client.call(INSTALLATION_ID, 'GET ref', getMain);
    fake.failNext(Number.POSITIVE_INFINITY, 503);

    // Act
    for (let i = 0; i < 5; i += 1) {
      await expect(
        client.call(INSTALLATION_ID, 'GET ref', getMain),
      ).rejects.toBeInstanceOf(TransientError);
    }
    const sent = fake.requests.length;
    const fastFail = await client
      .call(INSTALLATION_ID, 'GET ref', getMain)
      .catch((e: unknown) => e);

    // Assess
    expect(client.circuitState).toBe('open');
    expect(client.circuitOpen).toBe(true);
    expect(fastFail).toBeInstanceOf(TransientError);
    expect((fastFail as Error).message).toMatch(/circuit open/);
    expect(fake.requests.length).toBe(sent);

    // Act: GitHub recovers; after halfOpenAfter one trial call closes it.
    fake.clearFaults();
    await sleep(120);
    await client.call(INSTALLATION_ID, 'GET ref', getMain);

    // Assess
    expect(client.circuitState).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('records GitHubApiLatency per call and CircuitOpen per refused call', async () => {
    // Prepare
    const timings: [string, number, string | undefined][] = [];
    const counts: [string, string | undefined][] = [];
    const metrics: MetricsSink = {
      count: (name, _value, dims) => counts.push([name, dims?.operation]),
      gauge: () => undefined,
      timing: (name, ms, dims) => timings.push([name, ms, dims?.operation]),
    };
    const client = testClient(fake, { metrics });
    await client.call(INSTALLATION_ID, 'GET ref', getMain);
    fake.failNext(Number.POSITIVE_INFINITY, 503);
    for (let i = 0; i < 5; i += 1) {
      await client.call(INSTALLATION_ID, 'GET ref', getMain).catch(() => null);
    }

    // Act: the circuit is open now
    await client.call(INSTALLATION_ID, 'GET ref', getMain).catch(() => null);

    // Assess
    expect(timings).toHaveLength(6);
    expect(
      timings.every(
        ([n, ms, op]) =>
          n === 'GitHubApiLatency' && ms >= 0 && op === 'GET ref',
      ),
    ).toBe(true);
    expect(counts).toEqual([['CircuitOpen', 'GET ref']]);
  });

  it('treats a GitHub that refuses connections as transient until it is back', async () => {
    // Prepare
    const client = testClient(fake);
    await client.call(INSTALLATION_ID, 'GET ref', getMain);
    await fake.down();

    // Act
    const whileDown = client
      .call(INSTALLATION_ID, 'GET ref', getMain)
      .catch((e: unknown) => e);
    const error = await whileDown;
    await fake.up();
    const { data } = await client.call(INSTALLATION_ID, 'GET ref', getMain);

    // Assess
    expect(error).toBeInstanceOf(TransientError);
    expect(data.ref).toBe('refs/heads/main');
  });
});
