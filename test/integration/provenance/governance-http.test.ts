import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routes } from '../../../functions/governance.js';
import { GitScm } from '../../../shared/adapters/git/git-scm.js';
import { anIntent } from '../../support/fixtures.js';
import { TestRepo } from '../../support/git-repo.js';
import { call, openStack, type TestStack } from '../http/local-stack.js';

describe('governance routes: export, provenance, audit chain, archaeology', () => {
  let stack: TestStack;
  let repo: TestRepo;
  let admin: string;
  let viewer: string;

  beforeEach(async () => {
    stack = await openStack({ extraRoutes: routes });
    repo = new TestRepo();
    repo.commit({ 'a.py': '1\n', 'b.py': '1\n' });
    repo.commit({ 'a.py': '2\n', 'b.py': '2\n' });
    Object.assign(stack.deps, { scm: new GitScm({ repoDir: repo.dir }) });
    admin = await stack.issueKey({
      actor: 'root',
      role: 'admin',
      tenantId: null,
    });
    viewer = await stack.issueKey({ role: 'viewer', tenantId: 't1' });
    await stack.store.intents.create(anIntent({ id: 'p,1', tenantId: 't1' }));
    await stack.store.intents.create(anIntent({ id: 'p2', tenantId: 't2' }));
  });
  afterEach(async () => {
    await stack.close();
    repo.remove();
  });

  it("exports the caller's tenant as CSV and records the export", async () => {
    // Act
    const reply = await call(stack, 'GET', '/v1/export/decisions?fmt=csv', {
      key: viewer,
    });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toContain('decisions.csv');
    expect(reply.headers.get('x-export-rows')).toBe('1');
    const lines = reply.text.split('\r\n');
    expect(lines[0]?.startsWith('intent_id,status,')).toBe(true);
    expect(lines[1]?.startsWith('"p,1",READY,')).toBe(true);
    const exported = await stack.store.events.query({
      type: 'dataset.exported',
    });
    expect(exported.items[0]).toMatchObject({
      tenantId: 't1',
      payload: { format: 'csv', rows: 1 },
    });
  });

  it('serves JSON Lines by default and refuses another tenant', async () => {
    // Act
    const jsonl = await call(stack, 'GET', '/v1/export/decisions', {
      key: admin,
    });
    const cross = await call(
      stack,
      'GET',
      '/v1/export/decisions?tenant_id=t2',
      { key: viewer },
    );
    // Assess
    expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
    expect(jsonl.text.trim().split('\n')).toHaveLength(2);
    expect(cross.status).toBe(403);
  });

  it('answers 404 for an intent without a provenance record', async () => {
    // Act
    const reply = await call(stack, 'GET', '/v1/intents/p2/provenance', {
      key: admin,
    });
    // Assess
    expect(reply.status).toBe(404);
  });

  it('lets only an admin seal and verify the audit chain', async () => {
    // Act
    const denied = await call(stack, 'POST', '/v1/audit/chain/init', {
      key: viewer,
      body: {},
    });
    const init = await call(stack, 'POST', '/v1/audit/chain/init', {
      key: admin,
      body: { tenant_id: 't1' },
    });
    const verify = await call(stack, 'POST', '/v1/audit/chain/verify', {
      key: admin,
      body: { tenant_id: 't1' },
    });
    // Assess
    expect(denied.status).toBeGreaterThanOrEqual(401);
    expect(denied.status).toBeLessThanOrEqual(403);
    expect(init.status).toBe(200);
    expect(init.json).toMatchObject({ scope: 't1', head: expect.any(String) });
    expect(verify.json).toMatchObject({ ok: true, head: init.json.head });
  });

  it('reports archaeology of the repository', async () => {
    // Act
    const reply = await call(stack, 'GET', '/v1/archaeology?top=1', {
      key: viewer,
    });
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      commits: 2,
      hotspots: [{ file: 'a.py', changes: 2 }],
      coupling: [{ a: 'a.py', b: 'b.py', count: 2 }],
      bus_factor: 1,
    });
  });
});
