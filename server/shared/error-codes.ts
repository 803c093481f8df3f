// The one list of every machine-readable code the API gives out (issue 19): user errors in
// payloads (`userErrors[].code`), blockers (`Workflow.blockers[].code`), item failures (the code
// of a FAILED item, in `STEP_FAILED` events and logs), request-level errors (`extensions.code`)
// and the codes our Partner Center client gives its own failures. The GraphQL enums
// `UserErrorCode` and `BlockerCode`, their descriptions and docs/error-codes.md (written by
// `npm run schema:emit`, checked by `npm run schema:check` and test/server/error-codes.test.ts) are
// made from it, and the `code` fields of `DomainError` and blockers are typed by it: an
// unregistered code is a compile error and a failing test that names it.
//
// Adding a code is one line: `MY_CODE: userError('What went wrong and what to do.', 'R-XXX-n'),`.
// Codes are stable across releases: never rename or drop one (deprecate it in the meaning).

export type CodeKind = 'userError' | 'blocker' | 'itemFailure' | 'requestError' | 'upstream';

export interface CodeEntry {
  readonly kinds: readonly CodeKind[];
  /** What the code means for the caller (and what to do about it). */
  readonly meaning: string;
  /** The rule of shared/reference/csp-procedures.md it enforces, if any (R-CON-3, …). */
  readonly rule?: string;
}

const entry = <const K extends readonly CodeKind[]>(kinds: K, meaning: string, rule?: string) =>
  ({ kinds, meaning, ...(rule ? { rule } : {}) }) as { kinds: K; meaning: string; rule?: string };
const userError = (meaning: string, rule?: string) => entry(['userError'], meaning, rule);
const blocker = (meaning: string, rule?: string) => entry(['blocker'], meaning, rule);
const both = (meaning: string, rule?: string) => entry(['userError', 'blocker'], meaning, rule);
const itemFailure = (meaning: string, rule?: string) => entry(['itemFailure'], meaning, rule);
const requestError = (meaning: string) => entry(['requestError'], meaning);
const upstream = (meaning: string) => entry(['upstream'], meaning);

// One line per code, whatever its length (prettier would wrap them).
// prettier-ignore
export const ERROR_CODES = {
  // ---- Input and lookup (every mutation) ----
  NOT_FOUND: entry(['userError', 'requestError'], 'No object of your organization has the id given (or it is of another organization); also a signing link that does not exist.'),
  REQUIRED: userError('A required input is missing or empty; `field` names it.'),
  INVALID: userError('An input has the wrong form or value (a GUID, a Partner ID, a number out of range, …); `field` names it.'),
  INVALID_EMAIL: userError('Not a valid email address.'),
  INVALID_PHONE: userError('Not a valid phone number (digits, spaces and + ( ) - . only).'),
  INVALID_MPN_ID: userError('A Partner ID (MPN id) must be 4 to 10 digits.'),
  INVALID_DATE: userError('Not a real date (years 2000–2100).'),
  INVALID_DATE_RANGE: userError('`from` is after `to`.'),
  INVALID_COUNTRY: userError('Not an ISO 3166-1 alpha-2 country code.'),
  INVALID_CURRENCY: userError('Not an ISO 4217 currency code.'),
  INVALID_AMOUNT: userError('Not a decimal amount with at most two decimals and no sign.'),
  INVALID_TARGET: userError('The target partner tenant is also one of the sources.'),
  INVALID_OFFER_ID: userError('Not a Partner Center offer id (letters, digits and - _ . : only).'),
  INVALID_TEXT: userError('The text is blank or has control characters or bidi overrides.'),
  TOO_LONG: userError('A text input is longer than its limit.'),
  TOO_MANY: userError('More list entries than accepted (e.g. license lines of a channel move).'),
  DUPLICATE: userError('The same object is listed twice.'),
  AMBIGUOUS_INPUT: userError('Two alternative inputs were given together (e.g. `licenses` and `csv`); give one.'),
  CSV_TOO_LARGE: userError('The CSV is larger than the accepted size; split it.'),
  CSV_INVALID: userError('A CSV line cannot be read; the message names the line.'),
  IDEMPOTENCY_KEY_REUSED: userError('This idempotency key was already used with a different input.'),
  READ_ONLY: userError('The workflow belongs to another organization (e.g. the new partner of a transfer); you may only read it.'),
  PARTNER_CENTER_ERROR: userError('Partner Center refused or failed a read or write the mutation needed; the message has its status and code; nothing was changed.'),
  // ---- Workflow lifecycle ----
  NOT_STARTABLE: userError('The workflow is not a DRAFT and cannot be started.'),
  BLOCKED: userError('The workflow cannot start: a blocker names neither a customer nor a subject; see `blockers`.'),
  CONFLICT: userError('The workflow changed meanwhile; read it again and retry.'),
  NOT_CANCELABLE: userError('The workflow has already ended.'),
  IRREVERSIBLE: userError('The workflow made irreversible changes in Partner Center and can no longer be canceled.'),
  NOTHING_TO_RETRY: userError('The workflow has no failed item.'),
  CONFLICTING_WORKFLOW_IDS: userError('`workflowId` and its deprecated former name (`id`, `transferId`) name two different workflows; give `workflowId` only.'),
  NOTHING_TO_UPDATE: userError('The update names nothing to change.'),
  // ---- Shared planning checks ----
  SOURCE_OF_CONSOLIDATION: both('The customer is being consolidated away from this partner tenant; nothing new is bought or moved for it from there.', 'R-CON-7'),
  REGION_MISMATCH: blocker('The customer is outside the CSP region of the target partner tenant.', 'R-CHN-7'),
  COUNTRY_MISMATCH: blocker("The customer's country differs from the partner tenant's country."),
  NOTHING_TO_MOVE: blocker('There is nothing to move for this customer or plan (no active subscription or license line).'),
  UNSUPPORTED_STATUS: blocker("The customer's relationship or the subscription's status does not allow the move (e.g. not a reseller relationship, a pending subscription)."),
  // ---- Tenant consolidation (R-CON-*) ----
  ALREADY_IN_CONSOLIDATION: both('Another running consolidation already moves this customer.'),
  NOTHING_TO_CONSOLIDATE: blocker('No customer of the source tenants can be consolidated.'),
  OFFER_NOT_AVAILABLE: blocker("The subscription's offer is not sold by the target tenant in the customer's country and has no available catalog successor: that subscription alone stays.", 'R-CHN-6'),
  OVERLAP_EXCEEDS_SAME_DAY: blocker('The source subscription is still active a day after its replacement became active: both are billed; suspend it.', 'R-CON-4'),
  ITEM_FAILED: itemFailure("Some of the customer's subscriptions failed; retry the workflow."),
  // ---- Customer invitations (consolidation R-CON-2, channel move R-CHN-1) ----
  INVITATION_EXPIRED: blocker('The customer did not accept its reseller invitation within its validity (INVITATION_VALIDITY); reinviteCustomer or excludeFromWorkflow. A late acceptance still proceeds and clears it.', 'R-CON-2'),
  WORKFLOW_NOT_STARTED: userError('The workflow is a DRAFT: nobody was invited yet; to leave a customer out, plan again without it.'),
  WORKFLOW_ENDED: userError('The workflow has ended; its customers can no longer change.'),
  NOT_SUPPORTED: userError('This kind of workflow invites no customer (reinviteCustomer and excludeFromWorkflow apply to consolidations and channel moves).'),
  CUSTOMER_NOT_IN_WORKFLOW: userError('No customer with this tenant id is part of the workflow.'),
  CUSTOMER_ALREADY_MOVED: userError('The customer accepted and its subscriptions are moving or moved: it can no longer be re-invited or left out.'),
  CUSTOMER_EXCLUDED: userError('The customer was excluded from the workflow; it cannot be invited again there.'),
  ALREADY_EXCLUDED: userError('The customer is already excluded from the workflow.'),
  CUSTOMER_BLOCKED: userError('The customer is blocked by planning and is not invited (see `blockers`).'),
  NOT_INVITED_YET: userError('The customer has not been invited yet; its invitation is about to be sent.'),
  ITEM_BUSY: userError('The customer is being checked by the workflow right now; try again in a few seconds.'),
  SUPPORT_CLOSED_WITHOUT_MIGRATION: itemFailure("Microsoft support closed the migration request but the Azure subscription did not move; the message has support's words.", 'R-CON-6'),
  // ---- Consolidation and Azure plan transfer paths (issue 15; docs/consolidation-paths.md) ----
  TRANSFER_WAVES_REQUIRED: blocker('A source tenant has more than 300 subscriptions to transfer: plan the waves listed (options.wave) one after the other.', 'partner-center-api.md §11'),
  WAVE_NOT_NEEDED: userError('options.wave was given but no source tenant needs transfer waves (at most 300 subscriptions to transfer each): plan without options.wave; nothing was planned.', 'partner-center-api.md §11'),
  CALLER_NOT_ADMIN_AGENT: blocker("This application's Partner Center identity at the source or target lacks the Admin agent role that transfers need.", 'partner-center-api.md §11'),
  TRANSFER_ALREADY_PENDING: blocker('The customer already has an open partner-to-partner transfer (one at a time): cancel it or let it finish.', 'partner-center-api.md §9d'),
  MCA_NOT_ACCEPTED: blocker('The customer has not accepted the Microsoft Customer Agreement: new-commerce subscriptions cannot be transferred (13605).'),
  TRANSFER_REFUSED: blocker('Partner Center refused to create the transfer request; the message has its status and code.'),
  TRANSFER_EXPIRED: blocker('The transfer request expired unaccepted again after being re-created once; nothing moved.'),
  INCOMING_TRANSFER_EXPIRED: blocker('The other partner did not accept our transfer request (we are the new partner) before it expired; nothing moved: ask it to accept, then plan again.', 'partner-center-api.md §11'),
  TRANSFER_CANCELED: blocker('The transfer request was canceled, rejected or failed before it was accepted; nothing moved.'),
  TRANSFER_NOT_DONE: blocker("The customer's transfer did not happen (see its blocker); the subscription stays at the source."),
  ITEM_BLOCKED: blocker('Some subscriptions of the customer were blocked while running; the others moved.'),
  AZURE_PLAN_UPGRADE_REFUSED: blocker('Partner Center refused the Azure plan transition at the source, so its Azure cannot be transferred.', 'R-AZP-1/2'),
  AZURE_PLAN_UPGRADE_FAILED: blocker('The Azure plan transition at the source failed, so its Azure cannot be transferred.'),
  LEGACY_AZURE_FIRST: blocker('The customer still has legacy Azure (0145P): Partner Center refuses an Azure transfer until it moved to the Azure plan (900131).', 'partner-center-api.md §11'),
  NO_TRANSFER_REQUEST: itemFailure('No transfer request of the customer carries this subscription (a plan of an older release).'),
  TRANSFER_LINE_FAILED: itemFailure("The completed transfer did not move this subscription; the message has the line item's error."),
  TRANSFER_VERIFICATION_FAILED: itemFailure("The transferred copy differs from the inventory (offer, seats, term end, billing cycle) or the source's copy is still active."),
  TRANSFER_FAILED: itemFailure('Microsoft failed the partner-to-partner transfer of the Azure plan.'),
  TRANSFER_SOURCE_STILL_ACTIVE: blocker("The transfer completed but the source tenant's copy of the subscription reads active in Partner Center: both partners bill it. Suspend it at the source (or ask Microsoft); the blocker clears when a later check sees it inactive (CONSOLIDATION_TRANSFER_WATCH).", 'R-CON-4'),
  TRANSFER_SEATS_MISMATCH: blocker("After the transfer the target's copy has other active seats than the plan's inventory (a seat lost or added, or the copy suspended). Set the seats back; the blocker clears when a later check sees them equal (CONSOLIDATION_TRANSFER_WATCH).", 'R-CON-1'),
  TRANSFER_COMPLETION_OVERDUE: blocker('The source accepted the transfer but Partner Center has not completed it long after it usually does (CONSOLIDATION_TRANSFER_OVERDUE, a guess: Microsoft documents no completion time); ask Microsoft support. The blocker clears when the transfer completes.', 'partner-center-api.md §9d'),
  // ---- Subscription transfer (R-TRF-*) ----
  TWO_ADMINS_REQUIRED: userError('Name exactly two different partner administrators.', 'R-TRF-7'),
  TRANSFER_ALREADY_OPEN: both('Another transfer of this subscription is open.'),
  PRODUCT_NOT_TRANSFERABLE: blocker('Only Azure subscriptions change CSP partner through a transfer ticket.', 'R-TRF-1'),
  AZURE_PLAN_NOT_SUPPORTED: blocker('Deprecated (no longer raised since issue 15: an Azure plan now moves by partner-to-partner transfer); transfers planned before may still show it.', 'R-TRF-1'),
  NOT_AZURE_SUBSCRIPTION: blocker('The subscription is not an Azure subscription.', 'R-TRF-1'),
  SUBSCRIPTION_NOT_ACTIVE: blocker('Only an active subscription can be transferred.'),
  NEW_PARTNER_IS_INDIRECT_RESELLER: blocker('The new partner is an indirect reseller; transfer to its indirect provider.', 'R-TRF-6'),
  NO_RESELLER_RELATIONSHIP: blocker('The new partner has no reseller relationship with the customer yet.', 'R-TRF-6'),
  NEW_PARTNER_MPN_MISMATCH: blocker("The Partner ID given is not the new partner tenant's Partner ID."),
  NO_SIGNING_LINK: userError('That party signs through the API, not through a link.'),
  NOT_SIGNABLE: userError('The transfer has ended; its form can no longer be signed.'),
  ALREADY_SIGNED: userError('That party already signed the form.'),
  ALREADY_ATTACHED: userError('The form is already attached to the support ticket; signatures are closed.'),
  USE_SIGNING_LINK: userError('The customer signs through its signing link, not through the API.', 'R-TRF-5'),
  NOT_YOUR_PARTY: userError('Your organization cannot sign for that party.'),
  USED: userError('The signing link was already used; each link signs once.'),
  EXPIRED: userError('The signing link expired; ask the current partner for a new one.'),
  CLOSED: userError('The transfer has ended; its link can no longer be used.'),
  NOT_WAITING_FOR_CLEANUP: userError('The transfer is not waiting for a manual cleanup confirmation.'),
  NEW_PARTNER_NO_CUSTOMER_AGREEMENT: blocker('Partner Center lists no Microsoft Customer (or Cloud) Agreement of the customer to the new partner; once the customer accepted, updateTransferNewPartner checks again.', 'R-TRF-5'),
  NEW_PARTNER_AGREEMENT_UNCONFIRMED: blocker('The new partner is not served here, so its agreement with the customer cannot be read; confirm it (newPartnerAgreementConfirmed or updateTransferNewPartner).', 'R-TRF-5'),
  FORM_SIGNED: userError("The form already carries a signature; the new partner's details can no longer change.", 'R-TRF-5'),
  NOT_EDITABLE: userError('The transfer has ended; its form can no longer change.'),
  ALREADY_STARTED: userError("The transfer has started; the customer's agreement at the new partner was settled before the start.", 'R-TRF-5'),
  TICKET_CLOSED_WITHOUT_TRANSFER: itemFailure('Microsoft closed the service request but the subscription did not move; see the ticket.'),
  SUPPORT_NEEDS_ATTENTION: blocker("Microsoft support asked for something or refused on the service request (transfer, consolidation's Azure migration); the message has support's own words; answer on the ticket."),
  MANUAL_CLEANUP_REQUIRED: blocker("The new partner must remove the old partner's role assignments on the Azure subscription.", 'R-TRF-8'),
  ADMIN_AGENTS_GROUP_UNKNOWN: itemFailure("The partner directory gives no Admin Agents group for the new partner; set it and retry.", 'R-TRF-8'),
  ROLE_ASSIGNMENT_NOT_REMOVED: blocker("A role assignment of the old partner could not be removed; remove it in the Azure portal.", 'R-TRF-8'),
  // ---- Channel move (R-CHN-*) ----
  ALREADY_MOVING: both('Another running channel move already brings this customer in.'),
  NO_EQUIVALENT_OFFER: blocker('The offer is no longer sold and no equivalent offer is known in the customer’s country.', 'R-CHN-6'),
  NOT_LICENSE_BASED: blocker('A usage-based offer does not move from another channel; only license-based ones do.'),
  SEATS_OUT_OF_BOUNDS: blocker("The line's (or consolidated subscription's) seats are outside the offer's minimum and maximum quantity (Partner Center 2002).", 'R-CHN-5'),
  EXPIRY_DATE_REQUIRED: blocker('A line that lets its original expire needs its expiry date (expiresOn) to schedule the cut-over.'),
  SEAT_MISMATCH: itemFailure("The ordered subscription's seats differ from the license line.", 'R-CHN-5'),
  LINE_FAILED: itemFailure('Some lines failed; retry the workflow to run them again.'),
  // ---- Azure plan transition (R-AZP-*) ----
  NO_RELATIONSHIP: blocker('The customer has no reseller relationship with this partner tenant (Partner Center 20002).', 'R-AZP-2'),
  NO_MCA: blocker('The customer has not signed the Microsoft Customer Agreement (Partner Center 13605).', 'R-AZP-1'),
  NO_LEGACY_AZURE: blocker('The customer has no legacy Azure (MS-AZR-0145P) subscription (Partner Center 900108).'),
  SUSPENDED_AZURE_SUBSCRIPTION: blocker('A suspended legacy Azure subscription stops the transition until it is reactivated or canceled (Partner Center 900105).'),
  TRANSITION_IN_PROGRESS: both('Another Azure plan transition is already running for this customer (Partner Center 900109).'),
  NOT_ELIGIBLE: blocker('Partner Center refuses the transition for another reason; the message has it.'),
  AZURE_PLAN_TRANSITIONED: userError('The customer moved to the Azure plan: legacy Azure can no longer be ordered.', 'R-AZP-6'),
  CURRENCY_MISMATCH: userError("The budget is not in the customer's local currency.", 'R-AZP-5'),
  PLAN_NOT_PURCHASED: itemFailure('No Azure plan exists for the customer: every line meant for it failed.'),
  WRONG_PLAN: itemFailure('The Azure subscription is attached to another reseller’s Azure plan.', 'R-AZP-8'),
  UPGRADE_FAILED: itemFailure('Partner Center reported a line of the product upgrade failed without giving an error code.', 'R-AZP-9'),
  MAPPING_NOT_VERIFIED: itemFailure('The Azure entitlement is not mapped as expected after the upgrade reported it done.', 'R-AZP-8'),
  // ---- GDAP relationship templates ----
  GDAP_ROLES_REQUIRED: userError('Name at least one role.'),
  GDAP_ROLE_UNKNOWN: userError('A role is not a known Entra ID built-in role (name or template id).'),
  GDAP_DURATION_INVALID: userError('The duration must be an ISO 8601 duration between P1D and P2Y.'),
  GDAP_AUTO_EXTEND_GLOBAL_ADMIN: userError('A relationship with Global Administrator cannot auto-extend.'),
  GDAP_GROUP_INVALID: userError('A security group is named by its object id (GUID).'),
  GDAP_ASSIGNMENT_ROLE_NOT_IN_TEMPLATE: userError('A security group can only get roles of the template.'),
  // ---- GDAP as a step of the procedures (docs/gdap.md) ----
  GRAPH_ERROR: userError('Microsoft Graph refused or failed the GDAP read the plan needed (permissions, outage); the message has its status and code; nothing was planned.'),
  GDAP_REJECTED: blocker('The customer rejected the GDAP relationship: the partner has no admin access to it; plan again once the customer agrees.', 'R-CON-2'),
  GDAP_REQUEST_EXPIRED: blocker('The customer did not approve the GDAP relationship within 90 days and the request expired; plan again to send a new one.', 'R-CON-2'),
  SOURCE_GDAP_MISSING: blocker("With GDAP required, the source tenant has no active GDAP relationship with the customer holding a role for the source-side writes (suspending re-provisioned subscriptions, the Azure plan upgrade), or it ends too soon: the suspension would be refused (20002) after the target's order, double billing. Checked at plan time and again before the customer's first write; nothing is ordered for that customer.", 'R-CON-4'),
  GDAP_RELATIONSHIP_ENDED: itemFailure('The GDAP relationship the step relied on ended (terminated or expired) after it was active; plan again.'),
  // ---- The engine's own item failures ----
  STEP_ERROR: itemFailure('A step threw an error without a code; the message has it.'),
  UNKNOWN_STEP: itemFailure('The item names a step its procedure does not have (a workflow of an older release).'),
  STORAGE_FAULT: itemFailure('The database could not take a write (disk full, I/O error, file gone, connection lost); requests answer SERVICE_UNAVAILABLE meanwhile.'),
  NO_SUBSCRIPTION_ID: itemFailure('Partner Center accepted an order without giving its subscription id.'),
  // ---- Request-level errors (`errors[].extensions.code`; see server/shared/errors.ts) ----
  UNAUTHENTICATED: requestError('No valid bearer token (HTTP 401).'),
  FORBIDDEN: requestError('Your roles do not allow this operation.'),
  BAD_USER_INPUT: requestError('An argument is malformed (e.g. a cursor or an id that is not ours).'),
  UPSTREAM_UNAVAILABLE: requestError('Partner Center is unavailable or refused a read; `extensions.partnerCenter` has its status and code.'),
  INTERNAL_SERVER_ERROR: requestError('An unexpected failure; the details are in the server log (masked for the client).'),
  QUERY_TOO_DEEP: requestError('The operation is nested deeper than the limit.'),
  TOO_MANY_ALIASES: requestError('The operation has more aliases than the limit.'),
  TOO_MANY_TOKENS: requestError('The operation has more tokens than the limit.'),
  TOO_MANY_FIELDS: requestError('The operation selects more fields than the limit (fragments expanded).'),
  QUERY_TOO_COMPLEX: requestError('The operation costs more than the per-operation limit.'),
  THROTTLED: requestError('Your cost budget is empty (HTTP 429 with Retry-After).'),
  TIMEOUT: entry(['requestError', 'upstream'], 'The operation ran longer than the per-operation limit; from our Partner Center client: a call timed out.'),
  SERVICE_UNAVAILABLE: requestError('Storage failed (HTTP 503); retry later.'),
  BAD_REQUEST: requestError('The HTTP request is malformed (not JSON, too large, no query).'),
  GRAPHQL_PARSE_FAILED: requestError('The operation is not valid GraphQL syntax.'),
  GRAPHQL_VALIDATION_FAILED: requestError('The operation does not match the schema.'),
  PERSISTED_QUERY_NOT_FOUND: requestError('Apollo: the persisted query hash is unknown.'),
  PERSISTED_QUERY_NOT_SUPPORTED: requestError('Apollo: persisted queries are off.'),
  OPERATION_RESOLUTION_FAILURE: requestError('Apollo: the operation to run cannot be determined (operationName).'),
  // ---- Our Partner Center client's own failure codes (beside Microsoft's numeric ones) ----
  INVALID_RESPONSE: upstream('Partner Center answered with a body that does not match its documented shape.'),
  NETWORK_ERROR: upstream('Partner Center could not be reached.'),
} as const satisfies Record<string, CodeEntry>;

export type KnownCode = keyof typeof ERROR_CODES;
type CodesOf<K extends CodeKind> = {
  [C in KnownCode]: K extends (typeof ERROR_CODES)[C]['kinds'][number] ? C : never;
}[KnownCode];

/** `UserError.code` (a `DomainError`). */
export type UserErrorCode = CodesOf<'userError'>;
/** `Blocker.code`. */
export type BlockerCode = CodesOf<'blocker'>;

export const isKnownCode = (code: string): code is KnownCode => Object.hasOwn(ERROR_CODES, code);

/** The codes of one kind, in registry order. */
export function codesOfKind(kind: CodeKind): KnownCode[] {
  return (Object.keys(ERROR_CODES) as KnownCode[]).filter((c) =>
    (ERROR_CODES[c].kinds as readonly CodeKind[]).includes(kind),
  );
}

/** Where the doc lives (schema descriptions point to it). */
export const ERROR_CODES_DOC = 'docs/error-codes.md';
