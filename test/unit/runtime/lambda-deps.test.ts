import { describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../../shared/adapters/dynamodb/dynamodb-store.js';
import { bindRepo } from '../../../shared/domain/engine/engine-deps.js';
import { ValidationError } from '../../../shared/domain/errors.js';
import { createLambdaDeps } from '../../../shared/runtime/lambda-deps.js';
import { anIntent } from '../../support/fixtures.js';

const VARS = {
  TABLE_NAME: 'converge-test',
  AWS_REGION: 'us-east-1',
  GITHUB_APP_ID: '123',
};

describe('createLambdaDeps', () => {
  it('builds the cloud deps on DynamoDB with no SQLite, git or make', async () => {
    // Act
    const deps = await createLambdaDeps(VARS);
    // Assess
    expect(deps.store).toBeInstanceOf(DynamoDbStore);
    expect(deps.env.STORE_DRIVER).toBe('dynamodb');
    expect(deps.bus).toBeUndefined();
    await expect(deps.scm.headSha('main')).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('refuses to bind an intent without a GitHub repository', async () => {
    // Prepare
    const deps = await createLambdaDeps(VARS);
    // Act / Assess
    await expect(
      bindRepo(deps, anIntent({ technical: {} })),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('fails fast without a table name', async () => {
    // Act / Assess
    await expect(createLambdaDeps({ AWS_REGION: 'us-east-1' })).rejects.toThrow(
      'TABLE_NAME',
    );
  });
});
