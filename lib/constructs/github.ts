import type { RemovalPolicy } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { GitHubSecretName } from '../function-catalog.js';

/** Props of `GitHubSecrets`. */
export interface GitHubSecretsProps {
  /** Names become `<prefix>/github-app-private-key` and so on. */
  prefix: string;
  removalPolicy: RemovalPolicy;
}

/**
 * The GitHub App private key and the webhook secret in Secrets Manager.
 * The stack never holds their values: Secrets Manager generates a random
 * webhook secret (copy it into the GitHub App settings) and the private key
 * is filled in after the first deploy (docs/deploy.md). Functions get only
 * the ARN in an environment variable and read the value at run time.
 */
export class GitHubSecrets extends Construct {
  /** The secrets by the name functions ask for in the catalog. */
  readonly secrets: Readonly<Record<GitHubSecretName, secretsmanager.Secret>>;

  constructor(scope: Construct, id: string, props: GitHubSecretsProps) {
    super(scope, id);
    const appPrivateKey = new secretsmanager.Secret(this, 'AppPrivateKey', {
      secretName: `${props.prefix}/github-app-private-key`,
      description:
        'GitHub App private key (PEM). Placeholder until put-secret-value.',
      removalPolicy: props.removalPolicy,
    });
    const webhookSecret = new secretsmanager.Secret(this, 'WebhookSecret', {
      secretName: `${props.prefix}/github-webhook-secret`,
      description: 'GitHub webhook secret (x-hub-signature-256 HMAC key).',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    });
    this.secrets = { appPrivateKey, webhookSecret };
  }
}

/** Environment variable carrying each secret's ARN (never its value). */
export const SECRET_ARN_VARIABLES: Readonly<Record<GitHubSecretName, string>> =
  {
    appPrivateKey: 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN',
    webhookSecret: 'GITHUB_WEBHOOK_SECRET_ARN',
  };
