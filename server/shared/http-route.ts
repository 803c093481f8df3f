import { type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A plain-HTTP route next to `/graphql` (downloads, signing pages). Declared here so modules and
 * procedures can offer routes without importing the HTTP server (`app/http-server.ts` takes them).
 */
export interface HttpRoute {
  method: 'GET' | 'POST';
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}
