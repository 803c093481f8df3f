import fc from 'fast-check';

// Issue 17: hostile values by kind of input, for the property tests that send them to every
// mutation (test/e2e/hostile-inputs.test.ts) and to the public signing page. Each value of a kind
// must be refused by that kind's check; `code` says which code the check answers with.

/** C0 and C1 controls (NUL, BEL, BS, ESC, DEL, NEL, CSI), line breaks and tab in one-line text. */
export const CONTROLS = [
  '\u0000',
  '\u0007',
  '\u0008',
  '\u000c',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\n',
  '\r',
  '\t',
  '\u2028',
];
/** Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). */
export const BIDI = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];

export type InputKind =
  | 'id'
  | 'guid'
  | 'requiredText'
  | 'optionalText'
  | 'nonBlankText'
  | 'mpnId'
  | 'email'
  | 'offerId'
  | 'csvOfferId'
  | 'phone'
  | 'idempotencyKey'
  | 'amount'
  | 'currency';

export interface Hostile {
  value: string;
  /** The code the check must answer with, when it is fixed for this value. */
  code?: string;
}

const inserted = (base: string) =>
  fc
    .tuple(fc.constantFrom(...CONTROLS, ...BIDI), fc.nat({ max: base.length }))
    .map(([c, at]) => base.slice(0, at) + c + base.slice(at));

/** A global id of ours whose decoded key has a control character, a path or markup in it. */
export const forgedIds = (validId: string): fc.Arbitrary<string> => {
  const text = Buffer.from(validId, 'base64url').toString('utf8');
  const [version, type, ...parts] = text.split('|');
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  return fc.oneof(
    inserted(parts.join('|')).map((p) => b64([version, type, p].join('|'))),
    fc
      .constantFrom('../../orders', '%0C', '<script>', "' OR 1=1 --", 'x'.repeat(40), '00000000')
      .map((p) => b64([version, type, ...parts.slice(0, -1), p].join('|'))),
  );
};

const long = (n: number, ch = 'a') => ch.repeat(n);

/** Fixed hostile values per kind (the list: NUL, BEL/ESC, 100,000 characters, …). */
export function hostileValues(kind: InputKind, limit = 200): Hostile[] {
  const markup = ["' OR 1=1 --", '<script>alert(1)</script>', '../../etc/passwd'];
  const text = (blank: 'REQUIRED' | 'INVALID_TEXT' | null): Hostile[] => [
    { value: '\u0000', code: 'INVALID_TEXT' },
    { value: 'Ann\u0007e\u001b[31m', code: 'INVALID_TEXT' },
    { value: 'Bob\u009b2J', code: 'INVALID_TEXT' },
    { value: 'Carol\nBcc: eve@evil.example', code: 'INVALID_TEXT' },
    { value: 'evil\u202egnp.exe', code: 'INVALID_TEXT' },
    { value: 'a\u2066b\u2069', code: 'INVALID_TEXT' },
    { value: 'lone \ud800 surrogate', code: 'INVALID_TEXT' },
    // Control characters in an over-long value: INVALID_TEXT, not a misleading TOO_LONG.
    { value: `\u0000${long(limit + 50)}`, code: 'INVALID_TEXT' },
    { value: long(100_000), code: 'TOO_LONG' },
    { value: long(limit + 1, 'é'), code: 'TOO_LONG' },
    ...(blank
      ? [
          { value: '', code: blank },
          { value: '  \u00a0 ', code: blank },
        ]
      : []),
  ];
  switch (kind) {
    case 'requiredText':
      return text('REQUIRED');
    case 'nonBlankText':
      return text('INVALID_TEXT');
    case 'optionalText':
      return text(null);
    case 'id':
      return [
        { value: '', code: 'NOT_FOUND' },
        { value: '\u0000', code: 'NOT_FOUND' },
        { value: 'not-an-id', code: 'NOT_FOUND' },
        { value: long(300, '😀'), code: 'NOT_FOUND' },
        { value: long(100_000, 'A'), code: 'NOT_FOUND' },
        ...markup.map((value) => ({ value, code: 'NOT_FOUND' })),
        { value: '../../_emulator/state', code: 'NOT_FOUND' },
      ];
    case 'guid':
      return [
        { value: '' },
        { value: '\u0000' },
        { value: '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b\u000c' },
        { value: '\u000c0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b' },
        { value: '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b/orders' },
        { value: '0b6e5f8a-1c2d-4e3f-8a9b-0c1d2e3f4a5\u202e' },
        { value: long(100_000, '0') },
        ...markup.map((value) => ({ value })),
      ];
    case 'mpnId':
      return [
        '\u0000',
        '12\u0007\u001b34',
        long(100_000, '1'),
        long(300, '😀'),
        "1' OR 1=1 --",
        '../../orders',
        '<script>alert(1)</script>',
        '1234\u202e5678',
        '',
        ' 123456 ',
        '12345678901',
        '123',
        '١٢٣٤٥', // Arabic-Indic digits are digits to \d in some engines, not to Partner Center
      ].map((value) => ({ value }));
    case 'email':
      return [
        'ann@example.com\u0000',
        'ann\u202e@example.com',
        'ann@example.com\r\nBcc: eve@evil.example',
        '<ann@example.com>',
        '',
        '   ',
        `${long(400)}@example.com`,
        'not-an-email',
        'ann@exa\u0007mple.com',
      ].map((value) => ({ value, code: 'INVALID_EMAIL' }));
    case 'offerId':
    case 'csvOfferId':
      return [
        { value: '\u0000' },
        { value: 'CFQ7TTC0LF8Q\u0007' },
        { value: 'CFQ7TTC0LF8Q\u202e' },
        { value: '../../orders' },
        { value: '<script>' },
        { value: "' OR 1=1 --" },
        { value: long(101, 'O') },
        { value: '' },
        { value: 'a b' },
        { value: long(30, '😀') },
      ].filter((h) => kind === 'offerId' || !/[\n\r",]/.test(h.value));
    case 'phone':
      return ['\u0000', '+49 30\u0007 1234', '+49\u202e30 1234', 'call me', long(41, '1')].map(
        (value) => ({ value, code: 'INVALID_PHONE' }),
      );
    case 'idempotencyKey':
      return ['\u0000', 'has space', long(201, 'k'), '😀', 'key\u202e', ''].map((value) => ({
        value,
        code: 'INVALID',
      }));
    case 'amount':
      return ['\u0000', '5000\u0000', '-1', '1e9', '1.234', '😀', long(1000, '9')].map((value) => ({
        value,
        code: 'INVALID_AMOUNT',
      }));
    case 'currency':
      return ['\u0000', 'EU\u0000', 'E\u202eUR', 'ZZZ', long(1000, 'E')].map((value) => ({
        value,
        code: 'INVALID_CURRENCY',
      }));
  }
}

/** Generated hostile values on top of the fixed ones: a control or bidi character in a good value. */
export function generatedHostile(kind: InputKind, good: string): fc.Arbitrary<Hostile> | null {
  switch (kind) {
    case 'requiredText':
    case 'optionalText':
    case 'nonBlankText':
      return inserted(good).map((value) => ({ value, code: 'INVALID_TEXT' }));
    case 'id':
      return forgedIds(good).map((value) => ({ value, code: 'NOT_FOUND' }));
    case 'guid':
    case 'mpnId':
    case 'offerId':
    case 'csvOfferId':
      return inserted(good).map((value) => ({ value }));
    case 'email':
      return inserted(good).map((value) => ({ value, code: 'INVALID_EMAIL' }));
    default:
      return null;
  }
}
