import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// A self-contained GraphiQL: every asset comes from npm packages (graphiql 3 UMD build, React 18
// UMD, graphql-ws, the Explorer plugin), served under /graphiql/assets/. Nothing is loaded from a
// CDN, so the UI works offline. Queries and mutations go over HTTP, subscriptions over graphql-ws
// on the same path; the Authorization header of GraphiQL's header editor is sent as the
// WebSocket's `connectionParams.authorization`.

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
  'graphql-ws.min.js': {
    file: () => join(packageDir('graphql-ws'), 'umd', 'graphql-ws.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'plugin-explorer.umd.js': {
    file: () => join(packageDir('@graphiql/plugin-explorer'), 'dist', 'index.umd.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'plugin-explorer.css': {
    file: () => join(packageDir('@graphiql/plugin-explorer'), 'dist', 'style.css'),
    type: 'text/css; charset=utf-8',
  },
};

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/assets/';

// The dev token must win over what GraphiQL kept in localStorage (its `headers` and every tab's
// headers): an Authorization header that is missing, the placeholder, the previous dev token or an
// expired JWT is replaced by the current dev token; a token pasted by hand that is still valid stays.
const INIT_SCRIPT = `(function () {
  var root = document.getElementById('graphiql');
  var config = JSON.parse(root.getAttribute('data-config'));
  var httpUrl = new URL(config.endpoint, location.href);
  var wsUrl = new URL(httpUrl.href);
  wsUrl.protocol = httpUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  var DEV_KEY = 'csp-migrations:devToken';

  function expired(auth) {
    var jwt = String(auth).replace(/^Bearer\\s+/i, '').split('.');
    if (jwt.length !== 3) { return false; }
    try {
      var claims = JSON.parse(atob(jwt[1].replace(/-/g, '+').replace(/_/g, '/')));
      return typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now();
    } catch (e) { return false; }
  }
  function freshHeaders(text, token, previous) {
    var headers;
    try { headers = text ? JSON.parse(text) : {}; } catch (e) { return text; }
    if (!headers || typeof headers !== 'object' || Array.isArray(headers)) { return text; }
    var key = Object.keys(headers).find(function (k) { return k.toLowerCase() === 'authorization'; }) || 'Authorization';
    var auth = headers[key];
    var stale = !auth || auth === 'Bearer <token>' || (previous && auth === 'Bearer ' + previous) || expired(auth);
    if (!stale) { return text; }
    headers[key] = 'Bearer ' + token;
    return JSON.stringify(headers, null, 2);
  }
  if (config.devToken) {
    try {
      var previous = localStorage.getItem(DEV_KEY);
      var saved = localStorage.getItem('graphiql:headers');
      if (saved !== null) { localStorage.setItem('graphiql:headers', freshHeaders(saved, config.devToken, previous)); }
      var tabs = JSON.parse(localStorage.getItem('graphiql:tabState') || 'null');
      if (tabs && Array.isArray(tabs.tabs)) {
        tabs.tabs.forEach(function (tab) { tab.headers = freshHeaders(tab.headers || '', config.devToken, previous); });
        localStorage.setItem('graphiql:tabState', JSON.stringify(tabs));
      }
      localStorage.setItem(DEV_KEY, config.devToken);
    } catch (e) { /* storage unavailable: GraphiQL starts from the default headers */ }
  }

  // One graphql-ws client per Authorization value of the header editor (connectionParams.authorization).
  var fetchers = {};
  function fetcherFor(authorization) {
    if (!fetchers[authorization]) {
      fetchers[authorization] = GraphiQL.createFetcher({
        url: httpUrl.toString(),
        wsClient: graphqlWs.createClient({
          url: wsUrl.toString(),
          lazy: true,
          connectionParams: authorization ? { authorization: authorization } : {},
        }),
      });
    }
    return fetchers[authorization];
  }
  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    var key = Object.keys(headers).find(function (k) { return k.toLowerCase() === 'authorization'; });
    return fetcherFor(key ? String(headers[key]) : '')(params, options);
  }

  var props = {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: true,
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
  };
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
    devToken: options.devToken ?? null,
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
<link rel="stylesheet" href="${asset('plugin-explorer.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql" data-config="${escapeAttribute(JSON.stringify(config))}">Loading GraphiQL…</div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script src="${asset('graphql-ws.min.js')}"></script>
<script src="${asset('plugin-explorer.umd.js')}"></script>
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
