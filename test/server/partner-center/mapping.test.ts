import { describe, expect, it } from 'vitest';
import {
  mapBillingType,
  mapProductFamily,
  mapRelationship,
  mapSubscriptionStatus,
} from '../../../server/partner-center/mapping.js';

describe('Partner Center → contract enums', () => {
  it('derives the product family from offer id and name', () => {
    expect(mapProductFamily('MS-AZR-0145P', 'Microsoft Azure')).toBe('AZURE_LEGACY');
    expect(mapProductFamily('DZH318Z0BPS6:0001:DZH318Z0BML6', 'Azure plan')).toBe('AZURE_PLAN');
    expect(mapProductFamily('796B6B5F-613C-4E24-A17C-EBA730D49C02', 'Office 365 E3')).toBe(
      'OFFICE365',
    );
    expect(mapProductFamily('CFQ7TTC0LCHC:0002', 'Microsoft 365 Business Premium')).toBe(
      'OFFICE365',
    );
    expect(mapProductFamily('X', 'Dynamics CRM Online Professional')).toBe('DYNAMICS');
    expect(mapProductFamily('X', 'Enterprise Mobility + Security E5')).toBe('EMS');
    expect(mapProductFamily('X', 'Windows 11 Enterprise E3')).toBe('OTHER');
  });

  it('reads enum spellings case-insensitively', () => {
    expect(mapSubscriptionStatus('Active')).toBe('ACTIVE');
    expect(mapSubscriptionStatus('suspended')).toBe('SUSPENDED');
    expect(mapSubscriptionStatus('none')).toBe('PENDING');
    expect(mapSubscriptionStatus('something_new')).toBe('DISABLED');
    expect(mapRelationship('Reseller')).toBe('RESELLER');
    expect(mapRelationship('microsoft_support')).toBe('NONE');
    expect(mapBillingType('usage')).toBe('USAGE');
    expect(mapBillingType('none', 'Usage-based')).toBe('USAGE');
    expect(mapBillingType('license')).toBe('LICENSE');
  });
});
