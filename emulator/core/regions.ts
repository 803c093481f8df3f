/**
 * Countries the emulator knows: Partner Center region, currency, IANA time zone (for support business
 * hours, R-TRF-7) and a locale. Regions follow Partner Center's geography groups; the spelling
 * (lower snake case) is ours.
 */
export interface CountryInfo {
  code: string;
  name: string;
  region: string;
  currency: string;
  currencySymbol: string;
  timeZone: string;
  culture: string;
  language: string;
}

const COUNTRIES: readonly CountryInfo[] = [
  {
    code: 'FR',
    name: 'France',
    region: 'europe',
    currency: 'EUR',
    currencySymbol: '€',
    timeZone: 'Europe/Paris',
    culture: 'fr-FR',
    language: 'fr',
  },
  {
    code: 'DE',
    name: 'Germany',
    region: 'europe',
    currency: 'EUR',
    currencySymbol: '€',
    timeZone: 'Europe/Berlin',
    culture: 'de-DE',
    language: 'de',
  },
  {
    code: 'ES',
    name: 'Spain',
    region: 'europe',
    currency: 'EUR',
    currencySymbol: '€',
    timeZone: 'Europe/Madrid',
    culture: 'es-ES',
    language: 'es',
  },
  {
    code: 'IT',
    name: 'Italy',
    region: 'europe',
    currency: 'EUR',
    currencySymbol: '€',
    timeZone: 'Europe/Rome',
    culture: 'it-IT',
    language: 'it',
  },
  {
    code: 'NL',
    name: 'Netherlands',
    region: 'europe',
    currency: 'EUR',
    currencySymbol: '€',
    timeZone: 'Europe/Amsterdam',
    culture: 'nl-NL',
    language: 'nl',
  },
  {
    code: 'BE',
    name: 'Belgium',
    region: 'europe',
    currency: 'EUR',
    currencySymbol: '€',
    timeZone: 'Europe/Brussels',
    culture: 'fr-BE',
    language: 'fr',
  },
  {
    code: 'IE',
    name: 'Ireland',
    region: 'europe',
    currency: 'EUR',
    currencySymbol: '€',
    timeZone: 'Europe/Dublin',
    culture: 'en-IE',
    language: 'en',
  },
  {
    code: 'PT',
    name: 'Portugal',
    region: 'europe',
    currency: 'EUR',
    currencySymbol: '€',
    timeZone: 'Europe/Lisbon',
    culture: 'pt-PT',
    language: 'pt',
  },
  {
    code: 'GB',
    name: 'United Kingdom',
    region: 'europe',
    currency: 'GBP',
    currencySymbol: '£',
    timeZone: 'Europe/London',
    culture: 'en-GB',
    language: 'en',
  },
  {
    code: 'CH',
    name: 'Switzerland',
    region: 'europe',
    currency: 'CHF',
    currencySymbol: 'CHF',
    timeZone: 'Europe/Zurich',
    culture: 'de-CH',
    language: 'de',
  },
  {
    code: 'PL',
    name: 'Poland',
    region: 'europe',
    currency: 'PLN',
    currencySymbol: 'zł',
    timeZone: 'Europe/Warsaw',
    culture: 'pl-PL',
    language: 'pl',
  },
  {
    code: 'SE',
    name: 'Sweden',
    region: 'europe',
    currency: 'SEK',
    currencySymbol: 'kr',
    timeZone: 'Europe/Stockholm',
    culture: 'sv-SE',
    language: 'sv',
  },
  {
    code: 'US',
    name: 'United States',
    region: 'north_america',
    currency: 'USD',
    currencySymbol: '$',
    // Support hours of a US ticket: Eastern time (a guess, see emulator/README.md).
    timeZone: 'America/New_York',
    culture: 'en-US',
    language: 'en',
  },
  {
    code: 'CA',
    name: 'Canada',
    region: 'north_america',
    currency: 'CAD',
    currencySymbol: '$',
    timeZone: 'America/Toronto',
    culture: 'en-CA',
    language: 'en',
  },
  {
    code: 'BR',
    name: 'Brazil',
    region: 'latin_america',
    currency: 'BRL',
    currencySymbol: 'R$',
    timeZone: 'America/Sao_Paulo',
    culture: 'pt-BR',
    language: 'pt',
  },
  {
    code: 'MX',
    name: 'Mexico',
    region: 'latin_america',
    currency: 'MXN',
    currencySymbol: '$',
    timeZone: 'America/Mexico_City',
    culture: 'es-MX',
    language: 'es',
  },
  {
    code: 'MA',
    name: 'Morocco',
    region: 'middle_east_africa',
    currency: 'MAD',
    currencySymbol: 'DH',
    timeZone: 'Africa/Casablanca',
    culture: 'fr-MA',
    language: 'fr',
  },
  {
    code: 'AE',
    name: 'United Arab Emirates',
    region: 'middle_east_africa',
    currency: 'AED',
    currencySymbol: 'AED',
    timeZone: 'Asia/Dubai',
    culture: 'en-AE',
    language: 'en',
  },
  {
    code: 'ZA',
    name: 'South Africa',
    region: 'middle_east_africa',
    currency: 'ZAR',
    currencySymbol: 'R',
    timeZone: 'Africa/Johannesburg',
    culture: 'en-ZA',
    language: 'en',
  },
  {
    code: 'JP',
    name: 'Japan',
    region: 'asia_pacific',
    currency: 'JPY',
    currencySymbol: '¥',
    timeZone: 'Asia/Tokyo',
    culture: 'ja-JP',
    language: 'ja',
  },
  {
    code: 'AU',
    name: 'Australia',
    region: 'asia_pacific',
    currency: 'AUD',
    currencySymbol: '$',
    timeZone: 'Australia/Sydney',
    culture: 'en-AU',
    language: 'en',
  },
  {
    code: 'SG',
    name: 'Singapore',
    region: 'asia_pacific',
    currency: 'SGD',
    currencySymbol: '$',
    timeZone: 'Asia/Singapore',
    culture: 'en-SG',
    language: 'en',
  },
  {
    code: 'IN',
    name: 'India',
    region: 'asia_pacific',
    currency: 'INR',
    currencySymbol: '₹',
    timeZone: 'Asia/Kolkata',
    culture: 'en-IN',
    language: 'en',
  },
];

const BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));

/** Country facts; unknown codes fall back to a neutral entry so scenarios never crash on them. */
export function countryInfo(code: string): CountryInfo {
  const upper = code.toUpperCase();
  return (
    BY_CODE.get(upper) ?? {
      code: upper,
      name: upper,
      region: 'other',
      currency: 'USD',
      currencySymbol: '$',
      timeZone: 'UTC',
      culture: 'en-US',
      language: 'en',
    }
  );
}

export function regionOf(country: string): string {
  return countryInfo(country).region;
}

export function knownCountryCodes(): string[] {
  return COUNTRIES.map((c) => c.code);
}
