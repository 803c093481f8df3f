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
 * `ARM_SCOPE` (default `https://management.azure.com/.default`); the emulator takes its own tokens,
 * embedded or standalone (`EMULATOR=off EMULATOR_URL=…`: the shared emulator is the token issuer
 * for every replica, ARM included; Entra ID is never reachable from that setup).
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
    label: 'ARM token',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
