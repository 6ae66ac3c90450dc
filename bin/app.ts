/**
 * The CDK app (`npx cdk synth|deploy -c env=dev|staging|prod`): one
 * Converge stack for the environment chosen by context, named
 * `Converge-<env>`, built from the route tables of `functions/*.ts`.
 */
import { App, type Environment } from 'aws-cdk-lib';
import { loadStackConfig } from '../lib/config.js';
import { ConvergeStack } from '../lib/converge-stack.js';
import { loadRouteManifest } from './route-manifest.js';

function targetEnvironment(): Environment {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  return {
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
  };
}

const app = new App();
const config = loadStackConfig((key) => app.node.tryGetContext(key));
new ConvergeStack(app, `Converge-${config.envName}`, {
  config,
  routes: await loadRouteManifest(),
  env: targetEnvironment(),
  description: `Converge merge governance (${config.envName})`,
});
app.synth();
