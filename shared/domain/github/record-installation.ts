import { deliveryEvent, type GithubResult, only } from './github-intents.js';
import type {
  DeliveryContext,
  GithubDeps,
  InstallationInput,
} from './github-types.js';

/**
 * `installation` and `installation_repositories`: records
 * `github.installation_updated` for the account's tenant. Installation ids
 * live on each intent (`technical.installation_id`), so nothing else moves.
 */
export async function recordInstallation(
  deps: GithubDeps,
  ctx: DeliveryContext,
  input: InstallationInput,
): Promise<GithubResult> {
  const event = deliveryEvent(deps, ctx, {
    type: 'github.installation_updated',
    intentId: null,
    tenantId: input.account,
    payload: {
      event: input.event,
      action: input.action,
      installation_id: input.installationId,
      account: input.account,
      repositories_added: input.added,
      repositories_removed: input.removed,
    },
  });
  await deps.store.events.append(event);
  return only({ result: 'recorded', intentIds: [] });
}
