import { en } from './en.dictionary';
import { fr } from './fr.dictionary';
import type {
  ConsolidationCustomerState,
  WorkflowKind,
  WorkflowStatus,
  ChannelMoveLineState,
  AzureMappingState,
} from '../gql/graphql';

// The console's words. French partners are the first users (the procedures come from French
// Partner Center articles): every key has both languages, and `fr` is typed against `en`, so a
// missing translation fails the typecheck. `{name}` placeholders are filled by `t()`.

export type MessageKey = keyof typeof en;

export type Locale = 'en' | 'fr';
export const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, fr };

// Enum values with a label in both languages: a new enum value in the schema without one fails
// the typecheck here.
export const kindKey = (kind: WorkflowKind): MessageKey => `kind.${kind}`;
export const statusKey = (status: WorkflowStatus): MessageKey => `status.${status}`;
export const customerStateKey = (state: ConsolidationCustomerState): MessageKey =>
  `cstate.${state}`;
export const lineStateKey = (state: ChannelMoveLineState): MessageKey => `lstate.${state}`;
export const mappingStateKey = (state: AzureMappingState): MessageKey => `astate.${state}`;
