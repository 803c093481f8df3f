import { createHash } from 'node:crypto';
import type { PartnerTenantRecord } from '../core/model.js';
import { countryInfo } from '../core/regions.js';
import { link } from '../http/responses.js';

interface Seat {
  city: string;
  state?: string;
  street: string;
  postalCode: string;
  phonePrefix: string;
  firstName: string;
  lastName: string;
}

/**
 * A plausible head office per country (business districts, local number formats). The street
 * number, the phone digits and the profile id are derived from the tenant id, so a partner's
 * profile is stable across resets and state loads without touching the seeded generator.
 */
const SEATS: Record<string, Seat> = {
  FR: {
    city: 'Paris',
    street: 'Rue de la Boétie',
    postalCode: '75008',
    phonePrefix: '+33 1 ',
    firstName: 'Camille',
    lastName: 'Martin',
  },
  DE: {
    city: 'München',
    state: 'BY',
    street: 'Leopoldstraße',
    postalCode: '80802',
    phonePrefix: '+49 89 ',
    firstName: 'Lukas',
    lastName: 'Schneider',
  },
  ES: {
    city: 'Madrid',
    street: 'Paseo de la Castellana',
    postalCode: '28046',
    phonePrefix: '+34 91 ',
    firstName: 'Lucía',
    lastName: 'García',
  },
  IT: {
    city: 'Milano',
    state: 'MI',
    street: 'Via Alessandro Manzoni',
    postalCode: '20121',
    phonePrefix: '+39 02 ',
    firstName: 'Giulia',
    lastName: 'Rossi',
  },
  NL: {
    city: 'Amsterdam',
    street: 'Gustav Mahlerlaan',
    postalCode: '1082 MK',
    phonePrefix: '+31 20 ',
    firstName: 'Daan',
    lastName: 'de Vries',
  },
  BE: {
    city: 'Bruxelles',
    street: 'Avenue Louise',
    postalCode: '1050',
    phonePrefix: '+32 2 ',
    firstName: 'Louise',
    lastName: 'Peeters',
  },
  IE: {
    city: 'Dublin',
    street: "Sir John Rogerson's Quay",
    postalCode: 'D02 R296',
    phonePrefix: '+353 1 ',
    firstName: 'Aoife',
    lastName: 'Murphy',
  },
  PT: {
    city: 'Lisboa',
    street: 'Avenida da Liberdade',
    postalCode: '1250-096',
    phonePrefix: '+351 21 ',
    firstName: 'Inês',
    lastName: 'Silva',
  },
  GB: {
    city: 'London',
    street: 'Bishopsgate',
    postalCode: 'EC2N 4AY',
    phonePrefix: '+44 20 ',
    firstName: 'Oliver',
    lastName: 'Smith',
  },
  CH: {
    city: 'Zürich',
    state: 'ZH',
    street: 'Bahnhofstrasse',
    postalCode: '8001',
    phonePrefix: '+41 44 ',
    firstName: 'Noah',
    lastName: 'Müller',
  },
  PL: {
    city: 'Warszawa',
    street: 'Aleje Jerozolimskie',
    postalCode: '00-697',
    phonePrefix: '+48 22 ',
    firstName: 'Zofia',
    lastName: 'Nowak',
  },
  SE: {
    city: 'Stockholm',
    street: 'Kungsgatan',
    postalCode: '111 43',
    phonePrefix: '+46 8 ',
    firstName: 'Elsa',
    lastName: 'Andersson',
  },
  US: {
    city: 'Seattle',
    state: 'WA',
    street: 'Pine Street',
    postalCode: '98101',
    phonePrefix: '+1 206 ',
    firstName: 'Emma',
    lastName: 'Johnson',
  },
  CA: {
    city: 'Toronto',
    state: 'ON',
    street: 'Bay Street',
    postalCode: 'M5J 2N8',
    phonePrefix: '+1 416 ',
    firstName: 'Liam',
    lastName: 'Tremblay',
  },
  BR: {
    city: 'São Paulo',
    state: 'SP',
    street: 'Avenida Paulista',
    postalCode: '01310-100',
    phonePrefix: '+55 11 ',
    firstName: 'Ana',
    lastName: 'Souza',
  },
  MX: {
    city: 'Ciudad de México',
    state: 'CMX',
    street: 'Paseo de la Reforma',
    postalCode: '06500',
    phonePrefix: '+52 55 ',
    firstName: 'Sofía',
    lastName: 'Hernández',
  },
  MA: {
    city: 'Casablanca',
    street: 'Boulevard d’Anfa',
    postalCode: '20000',
    phonePrefix: '+212 522 ',
    firstName: 'Yasmine',
    lastName: 'Alaoui',
  },
  AE: {
    city: 'Dubai',
    street: 'Sheikh Zayed Road',
    postalCode: '00000',
    phonePrefix: '+971 4 ',
    firstName: 'Omar',
    lastName: 'Al Mansoori',
  },
  ZA: {
    city: 'Johannesburg',
    state: 'GP',
    street: 'Rivonia Road',
    postalCode: '2196',
    phonePrefix: '+27 11 ',
    firstName: 'Thabo',
    lastName: 'Nkosi',
  },
  JP: {
    city: 'Tokyo',
    state: '13',
    street: 'Marunouchi',
    postalCode: '100-0005',
    phonePrefix: '+81 3 ',
    firstName: 'Yui',
    lastName: 'Sato',
  },
  AU: {
    city: 'Sydney',
    state: 'NSW',
    street: 'George Street',
    postalCode: '2000',
    phonePrefix: '+61 2 ',
    firstName: 'Charlotte',
    lastName: 'Wilson',
  },
  SG: {
    city: 'Singapore',
    street: 'Marina Boulevard',
    postalCode: '018981',
    phonePrefix: '+65 6',
    firstName: 'Wei Ling',
    lastName: 'Tan',
  },
  IN: {
    city: 'Bengaluru',
    state: 'KA',
    street: 'MG Road',
    postalCode: '560001',
    phonePrefix: '+91 80 ',
    firstName: 'Priya',
    lastName: 'Sharma',
  },
};

/** Countries that write the house number before the street. */
const NUMBER_FIRST = new Set([
  'FR',
  'GB',
  'IE',
  'US',
  'CA',
  'AU',
  'IN',
  'SG',
  'ZA',
  'JP',
  'AE',
  'MA',
]);

function digest(tenantId: string): Buffer {
  return createHash('sha256').update(`organization-profile:${tenantId.toLowerCase()}`).digest();
}

function stableUuid(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** `GET /v1/profiles/organization`: the calling partner tenant's OrganizationProfile. */
export function organizationProfileView(p: PartnerTenantRecord): Record<string, unknown> {
  const info = countryInfo(p.country);
  const seat: Seat = SEATS[info.code] ?? {
    city: info.name,
    street: 'Business Park',
    postalCode: '10000',
    phonePrefix: '+1 555 ',
    firstName: 'Alex',
    lastName: 'Morgan',
  };
  const d = digest(p.tenantId);
  const number = 1 + (d.readUInt16BE(16) % 180);
  const phone = String(d.readUInt32BE(18) % 10_000_000).padStart(7, '0');
  const phoneNumber = `${seat.phonePrefix}${phone.slice(0, 3)} ${phone.slice(3)}`;
  const localPart = `${seat.firstName}.${seat.lastName}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return {
    id: stableUuid(d),
    companyName: p.name,
    defaultAddress: {
      country: info.code,
      region: null,
      city: seat.city,
      state: seat.state ?? null,
      addressLine1: NUMBER_FIRST.has(info.code)
        ? `${number} ${seat.street}`
        : `${seat.street} ${number}`,
      addressLine2: null,
      postalCode: seat.postalCode,
      firstName: seat.firstName,
      lastName: seat.lastName,
      phoneNumber,
    },
    tenantId: p.tenantId,
    domain: p.domain,
    email: `${localPart}@${p.domain}`,
    language: info.language,
    culture: info.culture,
    links: { self: link('/profiles/organization') },
    attributes: {
      etag: d.subarray(20, 32).toString('base64url'),
      objectType: 'OrganizationProfile',
    },
  };
}
