import { type AppConfig } from '../config/env.js';
import {
  ClientCredentialsTokenProvider,
  EmulatorTokenProvider,
  type TokenProvider,
} from '../partner-center/token-provider.js';

/**
 * True when an emulator issues the tokens: in process (`EMULATOR=on`) or standalone
 * (`EMULATOR=off EMULATOR_URL=…`, issue 16 item 7: the standalone case used to ask Entra ID).
 */
export function emulatorIssuesTokens(config: Pick<AppConfig, 'emulator'>): boolean {
  return config.emulator.enabled || config.emulator.url !== undefined;
}

/**
 * Tokens toward Azure Resource Manager (transfer clean-up, R-TRF-8). ARM is another audience than
 * Partner Center: production asks Entra ID, with the same app's client credentials, for
 * `ARM_SCOPE` (default `https://management.azure.com/.default`); the emulator takes its own tokens.
 */
export function armTokenProvider(
  config: Pick<AppConfig, 'emulator' | 'partnerCenter' | 'arm'>,
  options: { fetch?: typeof fetch } = {},
): TokenProvider {
  if (emulatorIssuesTokens(config)) {
    return new EmulatorTokenProvider({ audience: 'https://management.azure.com' });
  }
  return new ClientCredentialsTokenProvider({
    clientId: config.partnerCenter.clientId ?? '',
    clientSecret: config.partnerCenter.clientSecret ?? '',
    authority: config.partnerCenter.authority,
    scope: config.arm.scope,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
