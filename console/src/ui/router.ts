import { useEffect, useState } from 'react';

// History-API routing under the console's base path; the server answers every /console/* path with
// index.html (SPA fallback), so deep links and reloads work.

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

export const href = (path: string): string => `${BASE}${path}`;

const currentPath = (): string => {
  const path = window.location.pathname;
  return (path.startsWith(BASE) ? path.slice(BASE.length) : path) || '/';
};

export function navigate(path: string): void {
  window.history.pushState(null, '', href(path));
  window.dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}
