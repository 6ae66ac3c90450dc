import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateIntent } from '../../../shared/domain/engine/validate-intent.js';
import { explainIntent } from '../../../shared/domain/intents/explain-intent.js';
import { type EngineHarness, openEngineHarness } from './engine-harness.js';

const PASSING_MAKEFILE = 'lint:\n\t@true\ntest:\n\t@true\n';

describe('validateIntent on a real git repository', () => {
  let h: EngineHarness;
  beforeEach(() => {
    h = openEngineHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('validates a clean change under one trace with one event per step', async () => {
    // Prepare
    h.repo.commit({ Makefile: PASSING_MAKEFILE });
    h.repo.branch('feature/a', { 'a.py': 'print(1)\n' });
    await h.addIntent({ id: 'i-1', source: 'feature/a' });
    // Act
    const outcome = await validateIntent(h.deps, 'i-1');
    // Assess
    expect(outcome.decision).toBe('validated');
    expect(outcome.intent.status).toBe('VALIDATED');
    expect(outcome.traceId).toMatch(/^trace-/);
    const { items } = await h.deps.store.events.query({ intentId: 'i-1' });
    const types = items.map((e) => e.type).sort();
    expect(types).toEqual([
      'check.completed',
      'intent.validated',
      'policy.evaluated',
      'risk.evaluated',
      'simulation.completed',
    ]);
    expect(new Set(items.map((e) => e.traceId))).toEqual(
      new Set([outcome.traceId]),
    );
    const risk = items.find((e) => e.type === 'risk.evaluated');
    expect(risk?.payload.signals).toMatchObject({
      entropic_load: expect.any(Number),
    });
    expect(risk?.evidence.signals).toMatchObject({
      entropic_load: expect.any(Number),
    });
  });

  it('blocks a conflicting change with a conflict reason and keeps the status', async () => {
    // Prepare
    h.repo.branch('feature/b', { 'shared.py': 'from branch\n' });
    h.repo.commit({ 'shared.py': 'from main\n' });
    await h.addIntent({ id: 'i-2', source: 'feature/b' });
    // Act
    const outcome = await validateIntent(h.deps, 'i-2', { skipChecks: true });
    // Assess
    expect(outcome.decision).toBe('blocked');
    expect(outcome.reasons.join(' ')).toContain('conflict');
    expect(outcome.simulation.conflicts).toEqual(['shared.py']);
    expect(outcome.intent.status).toBe('READY');
    expect(
      await h.deps.store.events.count({
        intentId: 'i-2',
        type: 'intent.blocked',
      }),
    ).toBe(1);
  });

  it('explains a blocked intent with the reason and what happens next', async () => {
    // Prepare
    h.repo.branch('feature/w', { 'shared.py': 'from branch\n' });
    h.repo.commit({ 'shared.py': 'from main\n' });
    await h.addIntent({ id: 'i-w', source: 'feature/w' });
    const before = await h.deps.store.events.count({ intentId: 'i-w' });
    const outcome = await validateIntent(h.deps, 'i-w', { skipChecks: true });
    // Act
    const why = await explainIntent(h.deps.store, outcome.intent);
    // Assess
    expect(why).toMatchObject({
      status: 'READY',
      last_decision: 'intent.blocked',
      trace_id: outcome.traceId,
    });
    expect(why.reason).toContain('Merge conflict in: shared.py');
    expect(why.next).toContain('validates');
    expect(await h.deps.store.events.count({ intentId: 'i-w' })).toBe(
      before + 2,
    );
  });

  it('blocks when make lint fails', async () => {
    // Prepare
    h.repo.commit({ Makefile: 'lint:\n\t@echo lint broke >&2; exit 1\n' });
    h.repo.branch('feature/c', { 'c.py': 'x = 1\n' });
    await h.addIntent({ id: 'i-3', source: 'feature/c' });
    // Act
    const outcome = await validateIntent(h.deps, 'i-3');
    // Assess
    expect(outcome.decision).toBe('blocked');
    expect(outcome.reasons[0]).toContain('Checks failed');
    expect(outcome.checks[0]?.details).toContain('lint broke');
  });

  it('blocks a high-risk intent whose unit tests fail although lint passes', async () => {
    // Prepare
    h.repo.commit({ Makefile: 'lint:\n\t@true\ntest:\n\t@exit 1\n' });
    h.repo.branch('feature/d', { 'd.py': 'x = 1\n' });
    await h.addIntent({ id: 'i-4', source: 'feature/d', riskLevel: 'high' });
    // Act
    const outcome = await validateIntent(h.deps, 'i-4');
    // Assess
    expect(outcome.decision).toBe('blocked');
    expect(outcome.checks.map((c) => [c.check, c.status])).toEqual([
      ['lint', 'passed'],
      ['unit_tests', 'failed'],
    ]);
  });

  it('reuses the simulation only while both tips are unchanged (DECISIONS 4)', async () => {
    // Prepare
    h.repo.branch('feature/e', { 'e.py': 'x = 1\n' });
    await h.addIntent({ id: 'i-5', source: 'feature/e' });
    await validateIntent(h.deps, 'i-5', { skipChecks: true });
    // Act
    const again = await validateIntent(h.deps, 'i-5', { skipChecks: true });
    h.repo.commit({ 'other.py': 'moved\n' });
    const moved = await validateIntent(h.deps, 'i-5', { skipChecks: true });
    // Assess
    const sims = await h.deps.store.events.query({
      intentId: 'i-5',
      type: 'simulation.completed',
    });
    const reused = sims.items.map((e) => e.payload.reused).reverse();
    expect(reused).toEqual([false, true, false]);
    expect(again.simulation.targetSha).not.toBe(moved.simulation.targetSha);
  });

  it('refuses to validate a merged intent', async () => {
    // Prepare
    h.repo.branch('feature/f', { 'f.py': 'x = 1\n' });
    await h.addIntent({ id: 'i-6', source: 'feature/f', status: 'MERGED' });
    // Act / Assess
    await expect(validateIntent(h.deps, 'i-6')).rejects.toMatchObject({
      code: 'invalid_transition',
    });
  });
});
