import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../shared/config/env.js';

describe('parseEnv: store backend', () => {
  it('defaults to sqlite', () => {
    expect(parseEnv({}).STORE_DRIVER).toBe('sqlite');
  });

  it('accepts CONVERGE_DB_BACKEND (the documented name)', () => {
    const env = parseEnv({ CONVERGE_DB_BACKEND: 'dynamodb' });
    expect(env.STORE_DRIVER).toBe('dynamodb');
  });

  it('keeps STORE_DRIVER as an alias, and CONVERGE_DB_BACKEND wins', () => {
    expect(parseEnv({ STORE_DRIVER: 'dynamodb' }).STORE_DRIVER).toBe(
      'dynamodb',
    );
    const both = parseEnv({
      CONVERGE_DB_BACKEND: 'sqlite',
      STORE_DRIVER: 'dynamodb',
    });
    expect(both.STORE_DRIVER).toBe('sqlite');
  });

  it('fails fast on an unknown backend, naming the variable and the choices', () => {
    expect(() => parseEnv({ CONVERGE_DB_BACKEND: 'postgres' })).toThrow(
      'CONVERGE_DB_BACKEND: "postgres" is not one of sqlite|dynamodb',
    );
    expect(() => parseEnv({ STORE_DRIVER: 'mysql' })).toThrow(
      'STORE_DRIVER: "mysql" is not one of sqlite|dynamodb',
    );
  });
});

describe('parseEnv: bus', () => {
  it('defaults to memory without QUEUE_URL and to sqs with it', () => {
    expect(parseEnv({}).CONVERGE_BUS).toBe('memory');
    const env = parseEnv({ QUEUE_URL: 'https://sqs.example/q.fifo' });
    expect(env.CONVERGE_BUS).toBe('sqs');
  });

  it('lets CONVERGE_BUS=memory override a QUEUE_URL', () => {
    const env = parseEnv({
      CONVERGE_BUS: 'memory',
      QUEUE_URL: 'https://sqs.example/q.fifo',
    });
    expect(env.CONVERGE_BUS).toBe('memory');
  });

  it('requires QUEUE_URL for CONVERGE_BUS=sqs', () => {
    expect(() => parseEnv({ CONVERGE_BUS: 'sqs' })).toThrow(
      'CONVERGE_BUS: "sqs" requires QUEUE_URL',
    );
  });

  it('fails fast on an unknown bus, naming the variable and the choices', () => {
    expect(() => parseEnv({ CONVERGE_BUS: 'kafka' })).toThrow(
      'CONVERGE_BUS: "kafka" is not one of memory|sqs',
    );
  });
});

describe('parseEnv: DynamoDB endpoint', () => {
  it('honours CONVERGE_DYNAMODB_ENDPOINT as an alias', () => {
    const env = parseEnv({
      CONVERGE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    });
    expect(env.DYNAMODB_ENDPOINT).toBe('http://127.0.0.1:8000');
  });

  it('prefers DYNAMODB_ENDPOINT when both are set', () => {
    const env = parseEnv({
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
      CONVERGE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:2',
    });
    expect(env.DYNAMODB_ENDPOINT).toBe('http://127.0.0.1:1');
  });

  it('still reports other invalid variables', () => {
    expect(() => parseEnv({ PORT: 'not-a-port' })).toThrow(/PORT/);
  });
});
