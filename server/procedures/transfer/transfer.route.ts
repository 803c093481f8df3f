import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AuthVerifier } from '../../shared/actor.js';
import { type HttpRoute } from '../../shared/http-route.js';
import { humanDateTime } from './transfer-form-format.js';
import { formSections, type TransferFormContent } from './transfer-form.pdf.js';
import { type TransferSigningService } from './transfer-signing.service.js';
import { type TransferViewService } from './transfer-view.service.js';

// Plain-HTTP surfaces of the transfer form: the signing page behind each single-use link
// (`/transfer-signing?token=…`; the token is in the query, never in the path the access log
// records) and the PDF (`/transfer-forms/{id}.pdf`, bearer token of the owning or incoming org).

const SIGNING_PATH = '/transfer-signing';
const MAX_BODY = 16 * 1024;

/** The browser's address as this server sees it (no proxy header is trusted). */
const clientAddress = (req: IncomingMessage) =>
  req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? null;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  nonce?: string,
) {
  res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('cache-control', 'no-store');
  // The page carries a secret in its URL: never leak it through a referrer, a frame or a cache.
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader(
    'content-security-policy',
    `default-src 'none'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'${nonce ? `; script-src 'nonce-${nonce}'` : ''}`,
  );
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: object) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));

function page(title: string, body: string, nonce?: string, script?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.05rem;margin-top:1.4rem;border-bottom:1px solid #ccc}
dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
label{display:block;margin-top:.6rem}input{width:100%;max-width:24rem;padding:.3rem}
button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem}#result{margin-top:1rem;font-weight:600}</style>
</head><body>${body}${script && nonce ? `<script nonce="${nonce}">${script}</script>` : ''}</body></html>`;
}

const PARTY_TEXT: Record<string, string> = {
  CUSTOMER: 'the customer',
  NEW_PARTNER: 'the new partner',
};

function formHtml(content: TransferFormContent): string {
  return formSections(content)
    .map(
      (s) =>
        `<h2>${escape(s.title)}</h2><dl>${s.rows
          .map(([k, v]) => `<dt>${escape(k)}</dt><dd>${escape(v)}</dd>`)
          .join('')}</dl>`,
    )
    .join('');
}

// Posts the JSON the contract describes to the same URL (token included) and shows the answer.
const SIGN_SCRIPT = `
document.getElementById('sign').addEventListener('submit', async (event) => {
  event.preventDefault();
  const out = document.getElementById('result');
  const button = document.getElementById('sign-button');
  button.disabled = true;
  try {
    const response = await fetch(location.href, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        signerName: document.getElementById('signerName').value,
        signerEmail: document.getElementById('signerEmail').value,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }),
    });
    const body = await response.json();
    const when = response.ok
      ? new Date(body.signedAt).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' })
      : '';
    out.textContent = response.ok ? 'Signed on ' + when + '. Thank you.' : (body.message || 'Signing failed.');
    out.setAttribute('data-status', response.ok ? 'signed' : 'error');
    if (!response.ok && response.status !== 400) { return; }
    button.disabled = response.ok;
  } catch (error) {
    out.textContent = 'Signing failed: ' + error;
    button.disabled = false;
  }
});`;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** `GET|POST /transfer-signing?token=…`: the form and a sign button; POST JSON signs (single use). */
export function transferSigningRoutes(deps: { signing: TransferSigningService }): HttpRoute[] {
  const token = (url: URL) => url.searchParams.get('token') ?? '';
  const matches = (url: URL) =>
    url.pathname === SIGNING_PATH || url.pathname === `${SIGNING_PATH}/`;
  return [
    {
      method: 'GET',
      prefix: SIGNING_PATH,
      async handle(req, res, url) {
        if (!matches(url)) {
          json(res, 404, { error: 'not found' });
          return;
        }
        const found = await deps.signing.lookupLink(token(url));
        if (!found.ok) {
          send(
            res,
            found.status,
            'text/html; charset=utf-8',
            page(
              'Signing link',
              `<h1>CSP Subscription Transfer Form</h1><p id="result" data-status="${found.code}">${escape(found.message)}</p>`,
            ),
          );
          return;
        }
        await deps.signing.noteOpened(found.link, {
          address: clientAddress(req),
          userAgent: req.headers['user-agent'] ?? null,
        });
        const party = found.link.party;
        const nonce = randomBytes(16).toString('base64');
        const body = `<h1>CSP Subscription Transfer Form - Microsoft Azure</h1>
<p>You are asked to sign as <strong>${escape(PARTY_TEXT[party] ?? party)}</strong>. Check the form, then sign. This link works once and expires on ${escape(humanDateTime(found.link.expiresAt))}.</p>
${formHtml(found.content)}
<h2>Sign as ${escape(PARTY_TEXT[party] ?? party)}</h2>
<form id="sign"><label for="signerName">Your full name</label><input id="signerName" name="signerName" required autocomplete="name">
<label for="signerEmail">Your email</label><input id="signerEmail" name="signerEmail" type="email" required autocomplete="email">
<button id="sign-button" type="submit">Sign the transfer form</button></form><p id="result" role="status"></p>`;
        send(
          res,
          200,
          'text/html; charset=utf-8',
          page('Sign the CSP Subscription Transfer Form', body, nonce, SIGN_SCRIPT),
          nonce,
        );
      },
    },
    {
      method: 'POST',
      prefix: SIGNING_PATH,
      async handle(req, res, url) {
        if (!matches(url)) {
          json(res, 404, { error: 'not found' });
          return;
        }
        const body = (await readJson(req)) as
          { signerName?: unknown; signerEmail?: unknown; timeZone?: unknown } | undefined;
        if (!body || typeof body.signerName !== 'string' || typeof body.signerEmail !== 'string') {
          json(res, 400, {
            signed: false,
            code: 'BAD_REQUEST',
            message: 'Send JSON {"signerName": "...", "signerEmail": "..."}.',
          });
          return;
        }
        const signed = await deps.signing.signWithLink(
          token(url),
          { signerName: body.signerName, signerEmail: body.signerEmail },
          {
            timeZone: typeof body.timeZone === 'string' ? body.timeZone.slice(0, 64) : null,
            address: clientAddress(req),
          },
        );
        if (signed.ok) {
          json(res, 200, {
            signed: true,
            party: signed.value.party,
            signedAt: signed.value.signedAt,
          });
          return;
        }
        const status =
          signed.error.code === 'NOT_FOUND'
            ? 404
            : [
                  'USED',
                  'EXPIRED',
                  'CLOSED',
                  'ALREADY_SIGNED',
                  'NOT_SIGNABLE',
                  'ALREADY_ATTACHED',
                ].includes(signed.error.code)
              ? 410
              : 400;
        json(res, status, {
          signed: false,
          code: signed.error.code,
          message: signed.error.message,
        });
      },
    },
  ];
}

/** `GET /transfer-forms/{id}.pdf` with the API's bearer token; anything else reads as 404. */
export function transferFormPdfRoute(deps: {
  auth: AuthVerifier;
  views: TransferViewService;
}): HttpRoute {
  return {
    method: 'GET',
    prefix: '/transfer-forms/',
    async handle(req, res, url) {
      let actor;
      try {
        actor = await deps.auth.verifyHeader(req.headers.authorization);
      } catch {
        res.setHeader('www-authenticate', 'Bearer');
        json(res, 401, {
          error: 'unauthenticated',
          message: 'Send the bearer token you use for the API.',
        });
        return;
      }
      const match = /^\/transfer-forms\/([0-9a-f-]{36})\.pdf$/.exec(url.pathname);
      const file = match ? await deps.views.pdf(actor, match[1] as string) : null;
      if (!file) {
        json(res, 404, { error: 'not found' });
        return;
      }
      res.setHeader('content-disposition', `inline; filename="${file.fileName}"`);
      send(res, 200, 'application/pdf', file.content);
    },
  };
}
