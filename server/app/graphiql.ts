import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// A self-contained GraphiQL: every asset comes from npm packages (graphiql 3 UMD build, React 18
// UMD), served under /graphiql/assets/. Nothing is loaded from a CDN, so the UI works offline.

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Asset path (under /graphiql/assets/) → file and content type. */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'react.production.min.js': {
    file: () => join(packageDir('react'), 'umd', 'react.production.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'react-dom.production.min.js': {
    file: () => join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.js': {
    file: () => join(packageDir('graphiql'), 'graphiql.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.css': {
    file: () => join(packageDir('graphiql'), 'graphiql.min.css'),
    type: 'text/css; charset=utf-8',
  },
};

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/assets/';

const INIT_SCRIPT = `(function () {
  var root = document.getElementById('graphiql');
  var config = JSON.parse(root.getAttribute('data-config'));
  var fetcher = GraphiQL.createFetcher({ url: new URL(config.endpoint, location.href).toString() });
  var props = { fetcher: fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: true };
  if (config.defaultHeaders) { props.defaultHeaders = config.defaultHeaders; }
  if (config.defaultQuery) { props.defaultQuery = config.defaultQuery; }
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
`;

const DEFAULT_QUERY = `# Partner tenants of your organization and a first page of their customers.
query Demo {
  viewer {
    organization {
      name
      partnerTenants {
        id
        name
        country
        customers(first: 5) {
          totalCount
          edges {
            node {
              companyName
              subscriptions {
                edges { node { offerName quantity status } }
              }
            }
          }
        }
      }
    }
  }
}
`;

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The GraphiQL page; `devToken` (emulator mode only) pre-fills the Authorization header. */
export function renderGraphiqlPage(options: {
  endpoint: string;
  devToken?: string | undefined;
}): string {
  const config = {
    endpoint: options.endpoint,
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: options.devToken
      ? JSON.stringify({ Authorization: `Bearer ${options.devToken}` }, null, 2)
      : JSON.stringify({ Authorization: 'Bearer <token>' }, null, 2),
  };
  const asset = (name: string) => `${GRAPHIQL_ASSET_PREFIX}${name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CSP migrations API · GraphiQL</title>
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql" data-config="${escapeAttribute(JSON.stringify(config))}">Loading GraphiQL…</div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('init.js')}"></script>
</body>
</html>
`;
}

/** Every asset URL the page references (tests check each returns 200). */
export function graphiqlAssetPaths(): string[] {
  return [...Object.keys(ASSETS), 'init.js'].map((n) => `${GRAPHIQL_ASSET_PREFIX}${n}`);
}

const cache = new Map<string, Buffer>();

/** Reads an asset by its path under the prefix; null when unknown. */
export async function readGraphiqlAsset(
  name: string,
): Promise<{ body: Buffer; type: string } | null> {
  if (name === 'init.js') {
    return { body: Buffer.from(INIT_SCRIPT, 'utf8'), type: 'text/javascript; charset=utf-8' };
  }
  const asset = Object.prototype.hasOwnProperty.call(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) {
    return null;
  }
  let body = cache.get(name);
  if (!body) {
    body = await readFile(asset.file());
    cache.set(name, body);
  }
  return { body, type: asset.type };
}
