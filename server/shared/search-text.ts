/**
 * Folds text for accent- and case-insensitive search: Unicode NFKD, combining marks removed, lower
 * case. "Négoce", "NEGOCE" and "negoce" fold alike; letters without a decomposition (ß, ø, CJK)
 * are kept as they are, lower-cased.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
