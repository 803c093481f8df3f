import type { TransferFormRecord } from '../core/model.js';
import type { EmulatorRuntime } from '../core/runtime.js';
import { errors } from '../http/responses.js';

// Filled in by milestone 2 (service requests); kept compiling for milestone 1.
export function signTransferForm(rt: EmulatorRuntime, id: string): TransferFormRecord {
  const form = rt.store.transferForms.get(id);
  if (!form) {
    throw errors.notFound(`Transfer form ${id}`);
  }
  return form;
}

export function processTicket(rt: EmulatorRuntime, id: string): string {
  const sr = rt.store.serviceRequests.get(id);
  if (!sr) {
    throw errors.notFound(`Service request ${id}`);
  }
  return sr.status;
}
