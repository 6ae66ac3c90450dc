import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors.js';
import { FakeGitHub, type FakeRepo } from '../../support/fake-github.js';
import { REPO_ROUTES } from '../../support/fake-github-routes.js';
import { gitHubOperations } from '../../support/github-openapi.js';
import { INSTALLATION_ID, testClient } from './github-harness.js';

interface Answer {
  status: number;
  body: { message?: string; documentation_url?: string };
}

const CHECK_RUNS_DOCS = 'https://docs.github.com/rest/reference/checks';

describe('FakeGitHub against the OpenAPI description', () => {
  let fake: FakeGitHub;
  let repo: FakeRepo;
  let head: string;
  let token: string;

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    repo = fake.createRepo('acme/app');
    head = repo.commitOn('main', { 'a.ts': 'a' });
    const issued = await send('POST', `/app/installations/1/access_tokens`, {
      auth: 'Bearer aaa.bbb.ccc',
    });
    token = (issued.body as { token: string }).token;
  });

  afterEach(async () => {
    await fake.close();
  });

  /** A raw request: a body an Octokit type would refuse to compile. */
  async function send(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; auth?: string } = {},
  ): Promise<Answer> {
    const payload =
      options.raw ??
      (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${fake.baseUrl}${path}`, {
      method,
      headers: {
        authorization: options.auth ?? `token ${token}`,
        'content-type': 'application/json',
      },
      ...(payload === undefined ? {} : { body: payload }),
    });
    return { status: response.status, body: (await response.json()) as never };
  }

  it('answers valid bodies from the model and records nothing', async () => {
    // Act
    const run = await send('POST', '/repos/acme/app/check-runs', {
      body: {
        name: 'converge',
        head_sha: head,
        status: 'completed',
        conclusion: 'success',
        completed_at: '2030-01-01T00:00:05Z',
        output: { title: 'ok', summary: 'all good' },
      },
    });
    const status = await send('POST', `/repos/acme/app/statuses/${head}`, {
      body: { state: 'success', context: 'converge', target_url: null },
    });
    const ref = await send('PATCH', '/repos/acme/app/git/refs/heads/main', {
      body: { sha: head, force: false },
    });

    // Assess
    expect([run.status, status.status, ref.status]).toEqual([201, 201, 200]);
    expect(repo.checkRuns.map((r) => r.conclusion)).toEqual(['success']);
    expect(repo.statuses.map((s) => s.state)).toEqual(['success']);
    expect(fake.openApiViolations).toEqual([]);
  });

  it('refuses a check run with an unknown conclusion: 422, recorded, nothing stored', async () => {
    // Act
    const answer = await send('POST', '/repos/acme/app/check-runs', {
      body: { name: 'converge', head_sha: head, conclusion: 'bogus' },
    });

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.message).toMatch(/^Invalid request\.\n\n/);
    expect(answer.body.message).toContain(
      `For 'properties/conclusion', "bogus" is not one of`,
    );
    expect(answer.body.documentation_url).toContain(CHECK_RUNS_DOCS);
    expect(repo.checkRuns).toEqual([]);
    expect(fake.openApiViolations).toEqual([
      {
        operation: 'POST /repos/{owner}/{repo}/check-runs',
        path: '/repos/acme/app/check-runs',
        errors: [expect.stringContaining('"bogus" is not one of')],
      },
    ]);
  });

  it('refuses a commit status whose state is not one of GitHub’s', async () => {
    // Act
    const answer = await send('POST', `/repos/acme/app/statuses/${head}`, {
      body: { state: 'meh', context: 'converge' },
    });

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.message).toContain(`For 'properties/state', "meh"`);
    expect(repo.statuses).toEqual([]);
    expect(fake.openApiViolations.map((v) => v.operation)).toEqual([
      'POST /repos/{owner}/{repo}/statuses/{sha}',
    ]);
  });

  it('refuses a ref update without sha and leaves the ref where it was', async () => {
    // Prepare
    const before = repo.resolve('main');

    // Act
    const answer = await send('PATCH', '/repos/acme/app/git/refs/heads/main', {
      body: { force: true },
    });

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.message).toBe(
      'Invalid request.\n\n"sha" wasn\'t supplied.',
    );
    expect(repo.resolve('main')).toBe(before);
    expect(fake.openApiViolations).toEqual([
      {
        operation: 'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
        path: '/repos/acme/app/git/refs/heads/main',
        errors: [`"sha" wasn't supplied.`],
      },
    ]);
  });

  it('applies the description’s anyOf: completing a check run needs a conclusion', async () => {
    // Prepare
    const run = repo.addCheckRun(head, { name: 'ci', status: 'in_progress' });

    // Act
    const answer = await send('PATCH', `/repos/acme/app/check-runs/${run.id}`, {
      body: { status: 'completed' },
    });

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.message).toContain('No subschema in "anyOf" matched.');
    expect(answer.body.message).toContain(`"conclusion" wasn't supplied.`);
    expect(run.status).toBe('in_progress');
  });

  it('validates path and query parameters against their schemas', async () => {
    // Act
    const badId = await send('PATCH', '/repos/acme/app/check-runs/abc', {
      body: { conclusion: 'success' },
    });
    const badFilter = await send(
      'GET',
      `/repos/acme/app/commits/${head}/check-runs?filter=newest&per_page=x`,
    );
    const good = await send(
      'GET',
      `/repos/acme/app/commits/${head}/check-runs?filter=all&per_page=5`,
    );

    // Assess
    expect([badId.status, badFilter.status, good.status]).toEqual([
      422, 422, 200,
    ]);
    expect(fake.openApiViolations.map((v) => v.errors)).toEqual([
      ['For \'path/check_run_id\', "abc" is not an integer.'],
      [
        `For 'query/filter', "newest" is not one of ["latest","all"].`,
        'For \'query/per_page\', "x" is not an integer.',
      ],
    ]);
  });

  it('answers 400 to a body that is not JSON and records it', async () => {
    // Act
    const answer = await send('POST', '/repos/acme/app/merges', {
      raw: '{"base": "main",',
    });

    // Assess
    expect(answer).toMatchObject({
      status: 400,
      body: { message: 'Problems parsing JSON' },
    });
    expect(fake.openApiViolations).toHaveLength(1);
  });

  it('surfaces a rejected body to the adapters as a ValidationError', async () => {
    // Prepare
    const client = testClient(fake);

    // Act
    const call = client.call(INSTALLATION_ID, 'POST check-runs', (o) =>
      o.rest.checks.create({
        owner: 'acme',
        repo: 'app',
        name: 'converge',
        head_sha: head,
        status: 'done' as 'completed',
      }),
    );

    // Assess
    await expect(call).rejects.toBeInstanceOf(ValidationError);
    expect(fake.openApiViolations).toHaveLength(1);
  });
});

describe('gitHubOperations', () => {
  it('finds every route of the fake in the description', () => {
    // Act
    const ops = gitHubOperations(REPO_ROUTES.map((r) => r.operation));

    // Assess
    expect(ops.map((op) => `${op.method} ${op.template}`)).toEqual(
      REPO_ROUTES.map((r) => r.operation),
    );
    expect(ops.find((op) => op.operationId === 'git/update-ref')).toBeTruthy();
  });

  it('fails loudly on a route the description lacks, naming each one', () => {
    // Act
    const lookup = () =>
      gitHubOperations([
        'GET /repos/{owner}/{repo}/git/refz/{ref}',
        'DELETE /repos/{owner}/{repo}/merges',
        'GET /repos/{owner}/{repo}',
      ]);

    // Assess
    expect(lookup).toThrow(
      "not in GitHub's OpenAPI description (api.github.com): " +
        'GET /repos/{owner}/{repo}/git/refz/{ref}, ' +
        'DELETE /repos/{owner}/{repo}/merges',
    );
  });

  it('lets multi-segment parameters span slashes, and no others', () => {
    // Prepare
    const [getRef] = gitHubOperations([
      'GET /repos/{owner}/{repo}/git/ref/{ref}',
    ]);

    // Act
    const match = getRef?.match('/repos/acme/app/git/ref/heads/feature/x');
    const tooDeep = getRef?.match('/repos/acme/app/extra/git/ref/heads/main');

    // Assess
    expect(match).toEqual({
      owner: 'acme',
      repo: 'app',
      ref: 'heads/feature/x',
    });
    expect(tooDeep).toBeNull();
  });
});
