/**
 * Country facts the rules need: the Partner Center geography (region) a country belongs to, for the
 * same-region rule (R-CHN-7, applied to consolidation too), and its local currency (R-AZP-5).
 * Region names are lower snake case, as the emulator and the tenant registry spell them.
 */
const COUNTRIES: Record<string, { region: string; currency: string }> = {
  FR: { region: 'europe', currency: 'EUR' },
  DE: { region: 'europe', currency: 'EUR' },
  ES: { region: 'europe', currency: 'EUR' },
  IT: { region: 'europe', currency: 'EUR' },
  NL: { region: 'europe', currency: 'EUR' },
  BE: { region: 'europe', currency: 'EUR' },
  LU: { region: 'europe', currency: 'EUR' },
  AT: { region: 'europe', currency: 'EUR' },
  IE: { region: 'europe', currency: 'EUR' },
  PT: { region: 'europe', currency: 'EUR' },
  FI: { region: 'europe', currency: 'EUR' },
  GB: { region: 'europe', currency: 'GBP' },
  CH: { region: 'europe', currency: 'CHF' },
  PL: { region: 'europe', currency: 'PLN' },
  SE: { region: 'europe', currency: 'SEK' },
  NO: { region: 'europe', currency: 'NOK' },
  DK: { region: 'europe', currency: 'DKK' },
  US: { region: 'north_america', currency: 'USD' },
  CA: { region: 'north_america', currency: 'CAD' },
  BR: { region: 'latin_america', currency: 'BRL' },
  MX: { region: 'latin_america', currency: 'MXN' },
  AR: { region: 'latin_america', currency: 'ARS' },
  MA: { region: 'middle_east_africa', currency: 'MAD' },
  AE: { region: 'middle_east_africa', currency: 'AED' },
  ZA: { region: 'middle_east_africa', currency: 'ZAR' },
  JP: { region: 'asia_pacific', currency: 'JPY' },
  AU: { region: 'asia_pacific', currency: 'AUD' },
  SG: { region: 'asia_pacific', currency: 'SGD' },
  IN: { region: 'asia_pacific', currency: 'INR' },
};

/** The region of a country, or null when we do not know it (callers treat unknown as a blocker). */
export function regionOf(country: string | null | undefined): string | null {
  return country ? (COUNTRIES[country.toUpperCase()]?.region ?? null) : null;
}

/** The ISO 4217 currency of a country, or null when unknown. */
export function currencyOf(country: string | null | undefined): string | null {
  return country ? (COUNTRIES[country.toUpperCase()]?.currency ?? null) : null;
}
