/**
 * Opaque, versioned global ids: base64url of `v1|<TypeName>|<key parts joined by |>`.
 * The format is deliberately undocumented to clients; only this file knows it.
 */
const VERSION = 'v1';
const SEPARATOR = '|';

export interface DecodedId {
  type: string;
  parts: string[];
}

export function encodeId(type: string, ...parts: string[]): string {
  for (const part of [type, ...parts]) {
    if (part.includes(SEPARATOR)) {
      throw new Error(`id part must not contain "${SEPARATOR}": ${part}`);
    }
  }
  return Buffer.from([VERSION, type, ...parts].join(SEPARATOR), 'utf8').toString('base64url');
}

/** Returns null for anything that is not an id this server issued (never throws). */
export function decodeId(id: string): DecodedId | null {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) {
    return null;
  }
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const [version, type, ...parts] = text.split(SEPARATOR);
  if (version !== VERSION || !type || parts.length === 0 || parts.some((p) => p === '')) {
    return null;
  }
  return { type, parts };
}

/** Decodes an id that must be of `type` with `arity` key parts; null otherwise. */
export function decodeIdOf(id: string, type: string, arity: number): string[] | null {
  const decoded = decodeId(id);
  if (!decoded || decoded.type !== type || decoded.parts.length !== arity) {
    return null;
  }
  return decoded.parts;
}
