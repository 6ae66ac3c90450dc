import { describe, expect, it } from 'vitest';
import { PowertoolsMetricsSink } from '../../../shared/adapters/metrics/powertools-metrics.js';
import { createLambdaDeps } from '../../../shared/runtime/lambda-deps.js';
import {
  NO_LOCAL_REGISTRY,
  scrapeMetrics,
} from '../../../shared/runtime/metrics-exposition.js';

const VARS = { TABLE_NAME: 'converge-test', AWS_REGION: 'us-east-1' };

describe('createLambdaDeps: metrics and publisher', () => {
  it('sends metrics to Powertools EMF, so a scrape only says where they went', async () => {
    // Act
    const deps = await createLambdaDeps(VARS);
    // Assess
    expect(deps.metrics).toBeInstanceOf(PowertoolsMetricsSink);
    expect(scrapeMetrics(deps)).toBe(NO_LOCAL_REGISTRY);
  });

  it('wires the outbox publisher only when the GitHub App is configured', async () => {
    // Act
    const none = await createLambdaDeps(VARS);
    const idOnly = await createLambdaDeps({ ...VARS, GITHUB_APP_ID: '123' });
    const app = await createLambdaDeps({
      ...VARS,
      GITHUB_APP_ID: '123',
      GITHUB_APP_PRIVATE_KEY_SECRET_ARN: 'arn:aws:secretsmanager:key',
    });
    // Assess: built lazily; no secret is read here
    expect(none.publisher).toBeUndefined();
    expect(idOnly.publisher).toBeUndefined();
    expect(typeof app.publisher?.publishDecision).toBe('function');
  });
});
