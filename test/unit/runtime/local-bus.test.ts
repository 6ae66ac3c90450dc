import { describe, expect, it } from 'vitest';
import { sharePacer } from '../../../shared/runtime/local-bus.js';

const elapsedOf = async (work: () => Promise<void>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

describe('sharePacer', () => {
  it('lets messages run back to back while HTTP is idle', async () => {
    // Prepare
    const pacer = sharePacer(() => false, 0.05);
    pacer.done(pacer.now() - 50);
    // Act
    const waited = await elapsedOf(() => pacer.ready());
    // Assess
    expect(waited).toBeLessThan(40);
  });

  it('pauses after a message while HTTP is busy, in proportion to its share', async () => {
    // Prepare: a 30 ms message at a share of 0.5 earns a 30 ms pause.
    const pacer = sharePacer(() => true, 0.5);
    pacer.done(pacer.now() - 30);
    // Act
    const waited = await elapsedOf(() => pacer.ready());
    // Assess
    expect(waited).toBeGreaterThanOrEqual(25);
  });

  it('ends the pause as soon as HTTP is idle again', async () => {
    // Prepare: a pause of about 19 s at a share of 0.05.
    let busy = true;
    const pacer = sharePacer(() => busy, 0.05);
    pacer.done(pacer.now() - 1_000);
    setTimeout(() => {
      busy = false;
    }, 20);
    // Act
    const waited = await elapsedOf(() => pacer.ready());
    // Assess
    expect(waited).toBeGreaterThanOrEqual(15);
    expect(waited).toBeLessThan(2_000);
  });
});
