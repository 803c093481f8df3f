import { emulatorIssuesTokens } from '../azure-rm/arm-token.js';
import { type AppConfig } from '../config/env.js';
import {
  ClientCredentialsTokenProvider,
  EmulatorTokenProvider,
  type TokenProvider,
} from '../partner-center/token-provider.js';

/** Microsoft Graph app-only scope (GDAP `delegatedAdminRelationships` need DelegatedAdminRelationship.ReadWrite.All). */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * Tokens toward Microsoft Graph, per partner tenant. With an emulator (in process or standalone)
 * the emulator's own tokens are used, so a standalone emulator never sends us to Entra ID.
 */
export function graphTokenProvider(
  config: Pick<AppConfig, 'emulator' | 'partnerCenter'>,
  options: { fetch?: typeof fetch } = {},
): TokenProvider {
  if (emulatorIssuesTokens(config)) {
    return new EmulatorTokenProvider({ audience: 'https://graph.microsoft.com' });
  }
  return new ClientCredentialsTokenProvider({
    clientId: config.partnerCenter.clientId ?? '',
    clientSecret: config.partnerCenter.clientSecret ?? '',
    authority: config.partnerCenter.authority,
    scope: GRAPH_SCOPE,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
