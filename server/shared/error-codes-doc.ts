import { type CodeKind, codesOfKind, ERROR_CODES } from './error-codes.js';

// docs/error-codes.md, rendered from the registry (`npm run schema:emit` writes it,
// `npm run schema:check` and test/server/error-codes.test.ts fail when it differs).

const SECTIONS: Array<{ kind: CodeKind; title: string; where: string }> = [
  {
    kind: 'userError',
    title: 'User errors',
    where:
      'In mutation payloads: `userErrors[].code` (String) and `userErrors[].codeEnum` (enum `UserErrorCode`). Nothing was changed.',
  },
  {
    kind: 'blocker',
    title: 'Blockers',
    where:
      '`Workflow.blockers[].code` and `codeEnum` (enum `BlockerCode`). A blocker naming a customer or a subject excludes that item only; one naming neither stops `startWorkflow` (user error BLOCKED).',
  },
  {
    kind: 'itemFailure',
    title: 'Item failures',
    where:
      'The code of a FAILED item: in its `STEP_FAILED` event message, at the start of the item’s `detail` or `waitingReason` in the procedure views (`CODE: message`) and in the warn log line `workflow item failed`. A step that throws a Partner Center error fails with Partner Center’s own code (e.g. 900114) instead. `retryWorkflow` runs failed items again.',
  },
  {
    kind: 'requestError',
    title: 'Request errors',
    where:
      'Top-level GraphQL errors: `errors[].extensions.code` (the operation did not run, or not completely).',
  },
  {
    kind: 'upstream',
    title: 'Partner Center client codes',
    where:
      'Codes our Partner Center client gives its own failures, beside Microsoft’s numeric codes: in `extensions.partnerCenter.code` of UPSTREAM_UNAVAILABLE, in PARTNER_CENTER_ERROR messages and in item failures.',
  },
];

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderErrorCodesDoc(): string {
  const lines = [
    '# Error, blocker and failure codes',
    '',
    '<!-- Generated from server/shared/error-codes.ts by `npm run schema:emit`; do not edit. -->',
    '',
    'Every machine-readable code the API gives out, with its meaning. Codes are stable across',
    'releases; new ones are added (treat an unknown code like a generic failure of its kind and',
    'show its `message`). A code may be of several kinds (listed under each). Rules (R-…) are those',
    'of the CSP procedures (docs/workflows.md cites them per step).',
    '',
  ];
  for (const section of SECTIONS) {
    lines.push(
      `## ${section.title}`,
      '',
      section.where,
      '',
      '| Code | Meaning | Rule |',
      '| --- | --- | --- |',
    );
    for (const code of codesOfKind(section.kind)) {
      const e: { meaning: string; rule?: string } = ERROR_CODES[code];
      lines.push(`| \`${code}\` | ${cell(e.meaning)} | ${e.rule ?? ''} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
