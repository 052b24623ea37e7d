import { useEffect, useState } from 'react';

/** Hash routes (#/enterprise/<uscc>): the gateway serves one page, and links survive a reload. */
export type Route =
  | { page: 'enterprise'; uscc?: string }
  | { page: 'gaps' }
  | { page: 'assessment' }
  | { page: 'transfers'; id?: string }
  | { page: 'permit-check' };

export function parseRoute(hash: string): Route {
  const [page, arg] = hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
  if (page === 'gaps') return { page: 'gaps' };
  if (page === 'assessment') return { page: 'assessment' };
  if (page === 'transfers') return arg ? { page: 'transfers', id: arg } : { page: 'transfers' };
  if (page === 'permit-check') return { page: 'permit-check' };
  return arg ? { page: 'enterprise', uscc: arg } : { page: 'enterprise' };
}

export function hrefOf(route: Route): string {
  const arg = 'uscc' in route && route.uscc ? route.uscc : 'id' in route && route.id ? route.id : undefined;
  return `#/${route.page}${arg ? `/${encodeURIComponent(arg)}` : ''}`;
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
