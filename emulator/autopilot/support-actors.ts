import { addBusinessHours, businessCalendar } from '../core/business-hours.js';
import { HOUR_MS } from '../core/duration.js';
import type {
  PartnerTenantRecord,
  ServiceRequestRecord,
  SubscriptionRecord,
  TransferFormRecord,
} from '../core/model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import { moveAzurePlan, moveLegacyAzure } from '../domain/azure-moves.js';
import { parseReferences } from '../domain/service-requests.js';
import { errors } from '../http/responses.js';
import { delayHours } from './customer-actors.js';

/**
 * Microsoft support and the customer side of transfers, driven by service requests:
 * - consolidation tickets (R-CON-6): support migrates the named customers' MS-AZR-0145P
 *   subscriptions from the organization's other tenants to the target within N business hours;
 * - transfer tickets (R-TRF-3..7): the customer and new partner sign the CSP Subscription Transfer
 *   form after a delay; once the signed form is attached to the ticket, support checks it and moves
 *   the subscription to the new partner within 8 business hours (a file named like the transfer
 *   form is read as the form the three parties signed, see readAttachedForm);
 * - other tickets get an acknowledgement note.
 * Business hours are weekdays 09:00–17:00 in the ticket's country, except its public and bank
 * holidays (R-TRF-7; autopilot `support.publicHolidays`, `holidays`, `workingDays`).
 */
const SUPPORT_NAME = 'Microsoft Support';

function addNote(
  rt: EmulatorRuntime,
  sr: ServiceRequestRecord,
  text: string,
  by = SUPPORT_NAME,
): void {
  const now = rt.nowIso();
  sr.notes.push({ createdByName: by, createdDate: now, text });
  sr.lastModifiedDate = now;
  sr.lastUpdatedBy = {
    firstName: by === SUPPORT_NAME ? 'Microsoft' : by,
    lastName: by === SUPPORT_NAME ? 'Support' : '',
    email: by === SUPPORT_NAME ? 'support@microsoft.com' : null,
  };
}

function scheduleProcessing(
  rt: EmulatorRuntime,
  sr: ServiceRequestRecord,
  businessHours: number,
): void {
  if (
    !rt.store.autopilot.enabled ||
    rt.hasPending('support.process_ticket', (t) => t.serviceRequestId === sr.id)
  ) {
    return;
  }
  rt.schedule(
    'support.process_ticket',
    { serviceRequestId: sr.id },
    addBusinessHours(rt.now(), businessHours, supportCalendar(rt, sr.countryCode)),
  );
}

/** Support's calendar in a ticket's country: weekdays 09:00–17:00 less public holidays (R-TRF-7). */
function supportCalendar(rt: EmulatorRuntime, country: string) {
  const { publicHolidays, holidays, workingDays } = rt.store.autopilot.support;
  return businessCalendar(country, { publicHolidays, holidays, workingDays });
}

function formFor(rt: EmulatorRuntime, srId: string): TransferFormRecord | undefined {
  return [...rt.store.transferForms.values()].find((f) => f.serviceRequestId === srId);
}

const FORM_FILE = /transfer/i;
/** A file link naming the CSP Subscription Transfer form: what a support engineer opens and reads. */
const SIGNED_FORM_FILE = /transfer[\s_.-]*form/i;
const EMAIL = /[^\s<>()@,;:"]+@[^\s<>()@,;:"]+\.[a-z]{2,}/gi;

/**
 * Reads the transfer form attached to a ticket as support would (R-TRF-7): the attached, filled-in
 * form carries the three signatures, and the partner administrators are the people the partner
 * names on the ticket (its description and its own notes). The emulator cannot open the PDF, so
 * "attached under the form's name" stands for "signed by the three parties"; the other checks
 * (two administrators, new partner named, subscription transferable) still apply.
 */
function readAttachedForm(
  rt: EmulatorRuntime,
  sr: ServiceRequestRecord,
  form: TransferFormRecord,
): void {
  if (!sr.fileLinks.some((f) => SIGNED_FORM_FILE.test(f.fileName))) {
    return;
  }
  const partner = rt.store.partners.get(sr.partnerTenantId);
  const ownNotes = sr.notes.filter((n) => partner && n.createdByName === `admin@${partner.domain}`);
  const named = [sr.description, ...ownNotes.map((n) => n.text)]
    .flatMap((text) => text.match(EMAIL) ?? [])
    .map((e) => e.replace(/[.]+$/, '').toLowerCase());
  form.partnerAdministrators = [...new Set([...form.partnerAdministrators, ...named])];
  form.signatures = { currentPartner: true, customer: true, newPartner: true };
  form.signedAt ??= rt.nowIso();
  form.attached = true;
}

/** A ticket was just created. */
export function onTicketCreated(
  rt: EmulatorRuntime,
  sr: ServiceRequestRecord,
  tenant: PartnerTenantRecord,
): void {
  const cfg = rt.store.autopilot;
  if (sr.kind === 'consolidation') {
    scheduleProcessing(rt, sr, cfg.support.consolidationBusinessHours);
    return;
  }
  if (sr.kind === 'other') {
    scheduleProcessing(rt, sr, cfg.support.otherBusinessHours);
    return;
  }
  const refs = parseReferences(rt, tenant, `${sr.title}\n${sr.description}`);
  const sub =
    refs.subscriptions.find((s) => s.partnerTenantId === tenant.tenantId) ??
    rt.store.subscriptions.get(
      [...refs.customers]
        .flatMap((c) => rt.store.subscriptionsOf(tenant.tenantId, c.tenantId))
        .find((s) => s.kind === 'azure_legacy' && s.status === 'active')?.id ?? '',
    );
  const customer = sub ? rt.store.customers.get(sub.customerTenantId) : refs.customers[0];
  if (!customer || !sub) {
    // Nothing to sign: support will answer that the ticket lacks the subscription id.
    scheduleProcessing(rt, sr, cfg.support.transferBusinessHours);
    return;
  }
  sr.customerTenantId = customer.tenantId;
  const form: TransferFormRecord = {
    id: rt.newId(),
    serviceRequestId: sr.id,
    customerTenantId: customer.tenantId,
    subscriptionId: sub.id,
    azureSubscriptionId: sub.entitlementId ?? sub.id,
    sourcePartnerTenantId: tenant.tenantId,
    targetPartnerTenantId: refs.partners[0]?.tenantId ?? null,
    // R-TRF-4: the current partner fills in and signs the form when it opens the ticket.
    signatures: { currentPartner: true, customer: false, newPartner: false },
    partnerAdministrators: [],
    attached: sr.fileLinks.some((f) => FORM_FILE.test(f.fileName)),
    createdAt: rt.nowIso(),
    signedAt: null,
    completedAt: null,
  };
  rt.store.addTransferForm(form);
  readAttachedForm(rt, sr, form);
  const hours = delayHours(
    customer.autopilot.signTransferForm,
    cfg.customers.signTransferFormHours,
  );
  if (cfg.enabled && hours !== undefined) {
    rt.schedule(
      'customer.sign_transfer_form',
      { formId: form.id },
      new Date(rt.now().getTime() + hours * HOUR_MS),
    );
  }
}

/** The partner updated a ticket (note, file link, status). */
export function onTicketUpdated(
  rt: EmulatorRuntime,
  sr: ServiceRequestRecord,
  change: { fileAdded: boolean; noteAdded: boolean },
): void {
  if (sr.status === 'closed') {
    rt.store.actions = rt.store.actions.filter(
      (a) => !(a.kind === 'support.process_ticket' && a.target.serviceRequestId === sr.id),
    );
    return;
  }
  const cfg = rt.store.autopilot.support;
  if (sr.kind === 'transfer') {
    const form = formFor(rt, sr.id);
    if (form && change.fileAdded && sr.fileLinks.some((f) => FORM_FILE.test(f.fileName))) {
      form.attached = true;
      readAttachedForm(rt, sr, form);
    }
    if (change.fileAdded || (change.noteAdded && sr.status === 'attention_needed')) {
      scheduleProcessing(rt, sr, cfg.transferBusinessHours);
    }
    return;
  }
  if (change.noteAdded || change.fileAdded) {
    scheduleProcessing(
      rt,
      sr,
      sr.kind === 'consolidation' ? cfg.consolidationBusinessHours : cfg.otherBusinessHours,
    );
  }
}

/** The customer and the new partner sign the transfer form (R-TRF-5), naming two administrators. */
export function signTransferForm(rt: EmulatorRuntime, id: string): TransferFormRecord {
  const form = rt.store.transferForms.get(id) ?? formFor(rt, id);
  if (!form) {
    throw errors.notFound(`Transfer form ${id}`);
  }
  if (form.signedAt) {
    return structuredClone(form);
  }
  form.signatures = { currentPartner: true, customer: true, newPartner: true };
  const target = form.targetPartnerTenantId
    ? rt.store.partners.get(form.targetPartnerTenantId)
    : undefined;
  const source = rt.store.partners.get(form.sourcePartnerTenantId);
  form.partnerAdministrators = [
    `admin@${source?.domain ?? 'source'}`,
    `admin@${target?.domain ?? 'target'}`,
  ];
  form.signedAt = rt.nowIso();
  const sr = rt.store.serviceRequests.get(form.serviceRequestId);
  const customer = rt.store.customers.get(form.customerTenantId);
  if (sr) {
    // The signed form comes back to the current partner; we surface it on the ticket so the
    // partner (and a workflow polling the ticket) can see it and attach it.
    addNote(
      rt,
      sr,
      `The customer and the new partner signed the CSP Subscription Transfer form (3 signatures; partner administrators: ${form.partnerAdministrators.join(', ')}). Signed copy: https://emulator.invalid/transfer-forms/${form.id}.pdf`,
      customer?.companyName ?? 'Customer',
    );
    if (form.attached) {
      scheduleProcessing(rt, sr, rt.store.autopilot.support.transferBusinessHours);
    }
  }
  return structuredClone(form);
}

function close(rt: EmulatorRuntime, sr: ServiceRequestRecord, text: string): void {
  addNote(rt, sr, text);
  sr.status = 'closed';
  sr.lastClosedDate = rt.nowIso();
}

function needsAttention(rt: EmulatorRuntime, sr: ServiceRequestRecord, text: string): void {
  addNote(rt, sr, text);
  sr.status = 'attention_needed';
}

function processConsolidation(rt: EmulatorRuntime, sr: ServiceRequestRecord): void {
  const creator = rt.store.partners.get(sr.partnerTenantId);
  if (!creator) {
    return;
  }
  const refs = parseReferences(rt, creator, `${sr.title}\n${sr.description}`);
  // The "transition to" tenant: the ticket's creator normally (the target asks support once its
  // customers accepted, R-CON-6); a named tenant of the same organization when the creator serves
  // none of the named customers (a ticket filed from a source tenant naming the target).
  const servesNamed = (p: PartnerTenantRecord) =>
    refs.customers.some((c) => {
      const rel = rt.store.relationship(p.tenantId, c.tenantId);
      return rel?.relationshipToPartner === 'reseller' && rel.indirectProviderTenantId === null;
    });
  const sameOrg = refs.partners.filter((p) => p.organizationId === creator.organizationId);
  const target = servesNamed(creator) ? creator : (sameOrg.find(servesNamed) ?? creator);
  if (refs.customers.length === 0) {
    needsAttention(
      rt,
      sr,
      'We could not identify the customers to migrate. Please list them by company name or tenant id.',
    );
    return;
  }
  const done: string[] = [];
  const waiting: string[] = [];
  const refused: string[] = [];
  let closeRefusal = false;
  const refusals = rt.store.autopilot.support.consolidationRefusals ?? {};
  for (const customer of refs.customers) {
    const refusal = refusals[customer.tenantId] ?? refusals['*'];
    if (refusal !== undefined) {
      // Configured refusal (autopilot.support.consolidationRefusals): nothing of it moves.
      const text = typeof refusal === 'string' ? refusal : refusal.text;
      closeRefusal ||= typeof refusal !== 'string' && refusal.close === true;
      refused.push(`${customer.companyName}: ${text}`);
      continue;
    }
    const rel = rt.store.relationship(target.tenantId, customer.tenantId);
    if (!rel || rel.relationshipToPartner !== 'reseller' || rel.indirectProviderTenantId !== null) {
      waiting.push(
        `${customer.companyName} has not accepted the reseller relationship with ${target.name} yet`,
      );
      continue;
    }
    const named = refs.subscriptions.filter((s) => s.customerTenantId === customer.tenantId);
    const candidates: SubscriptionRecord[] = (
      rt.store.subscriptionsByCustomer.get(customer.tenantId) ?? []
    ).filter((s) => {
      const owner = rt.store.partners.get(s.partnerTenantId);
      return (
        (s.kind === 'azure_legacy' || s.kind === 'azure_plan') &&
        s.status === 'active' &&
        s.partnerTenantId !== target.tenantId &&
        owner?.organizationId === target.organizationId &&
        (named.length === 0 || named.some((n) => n.id === s.id))
      );
    });
    for (const s of candidates) {
      const moved =
        s.kind === 'azure_plan'
          ? moveAzurePlan(rt, s, target)
          : moveLegacyAzure(rt, s, target, 'Migrated');
      done.push(
        moved.kind === 'azure_plan'
          ? `${customer.companyName}: Azure plan ${s.id} and its Azure subscriptions now billed by ${target.name} (subscription ${moved.id})`
          : `${customer.companyName}: Azure subscription ${moved.entitlementId ?? ''} now billed by ${target.name} (subscription ${moved.id})`,
      );
    }
    if (candidates.length === 0) {
      done.push(`${customer.companyName}: no active Azure subscriptions to migrate`);
    }
  }
  const summary = [...done, ...waiting].join('; ');
  if (refused.length > 0) {
    const answer = [
      done.length > 0 ? `Migration partly done. ${done.join('; ')}.` : 'Nothing was migrated.',
      `We cannot migrate: ${refused.join('; ')}.`,
      ...(waiting.length > 0 ? [`Not accepted yet: ${waiting.join('; ')}.`] : []),
    ].join(' ');
    if (closeRefusal) {
      close(rt, sr, `${answer} This request is closed.`);
    } else {
      needsAttention(rt, sr, `${answer} Please reply on this ticket with what is asked.`);
    }
    return;
  }
  if (waiting.length > 0) {
    needsAttention(
      rt,
      sr,
      `Migration partly done. ${summary}. Reply on this ticket when the remaining customers have accepted.`,
    );
  } else {
    close(rt, sr, `Migration completed without service interruption. ${summary}.`);
  }
}

function processTransfer(rt: EmulatorRuntime, sr: ServiceRequestRecord): void {
  const form = formFor(rt, sr.id);
  if (!form) {
    needsAttention(
      rt,
      sr,
      'Please give the Azure subscription id to transfer and the new partner (tenant id or Partner ID).',
    );
    return;
  }
  readAttachedForm(rt, sr, form);
  const problems: string[] = [];
  const sub = rt.store.subscriptions.get(form.subscriptionId);
  const target = form.targetPartnerTenantId
    ? rt.store.partners.get(form.targetPartnerTenantId)
    : undefined;
  if (!target) {
    problems.push('the new partner is not named (tenant id or Partner ID)');
  }
  if (!form.signatures.customer || !form.signatures.newPartner || !form.signatures.currentPartner) {
    problems.push(
      'the CSP Subscription Transfer form is missing signatures (all three are required)',
    );
  }
  if (form.partnerAdministrators.length < 2) {
    problems.push('the form must name two partner administrators');
  }
  if (!form.attached) {
    problems.push('the signed form is not attached to this ticket');
  }
  if (!sub || sub.kind !== 'azure_legacy') {
    problems.push('only Azure subscriptions can be transferred between partners (R-TRF-1)');
  } else if (sub.status !== 'active') {
    problems.push(`subscription ${sub.id} is not active`);
  }
  if (target) {
    const rel = rt.store.relationship(target.tenantId, form.customerTenantId);
    if (!rel || rel.relationshipToPartner !== 'reseller' || rel.indirectProviderTenantId !== null) {
      problems.push(`${target.name} has no reseller relationship with the customer (R-TRF-6)`);
    }
  }
  if (problems.length > 0 || !sub || !target) {
    needsAttention(rt, sr, `We cannot complete the transfer yet: ${problems.join('; ')}.`);
    return;
  }
  const moved = moveLegacyAzure(rt, sub, target, 'Transferred');
  form.completedAt = rt.nowIso();
  close(
    rt,
    sr,
    `Transfer completed. Azure subscription ${moved.entitlementId ?? ''} is now billed by ${target.name} under subscription ${moved.id}. The previous partner's role assignments were left in place; the new partner should review them.`,
  );
}

/** Support works a ticket now; returns its new status. */
export function processTicket(rt: EmulatorRuntime, id: string): string {
  const sr = rt.store.serviceRequests.get(id);
  if (!sr) {
    throw errors.notFound(`Service request ${id}`);
  }
  if (sr.status === 'closed') {
    return sr.status;
  }
  rt.store.actions = rt.store.actions.filter(
    (a) => !(a.kind === 'support.process_ticket' && a.target.serviceRequestId === id),
  );
  if (sr.kind === 'consolidation') {
    processConsolidation(rt, sr);
  } else if (sr.kind === 'transfer') {
    processTransfer(rt, sr);
  } else {
    addNote(
      rt,
      sr,
      'Thank you for contacting Microsoft partner support. An engineer is looking at your request.',
    );
    sr.status = 'open';
  }
  return sr.status;
}

export function registerSupportActors(rt: EmulatorRuntime): void {
  rt.executors.set('support.process_ticket', (r, a) => {
    processTicket(r, a.target.serviceRequestId ?? '');
  });
  rt.executors.set('customer.sign_transfer_form', (r, a) => {
    signTransferForm(r, a.target.formId ?? '');
  });
}
