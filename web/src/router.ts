import { useEffect, useState } from 'react';

/** Hash routes (#/enterprise/<uscc>): the gateway serves one page, and links survive a reload. */
export type Route =
  | { page: 'enterprise'; uscc?: string }
  | { page: 'gaps' }
  | { page: 'assessment' }
  | { page: 'transfers'; id?: string; send?: { subject: string; inspectionId?: string } }
  | { page: 'permit-check' };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, arg] = path.split('/').map((part) => decodeURIComponent(part));
  const params = new URLSearchParams(query);
  if (page === 'gaps') return { page: 'gaps' };
  if (page === 'assessment') return { page: 'assessment' };
  if (page === 'transfers') {
    const subject = params.get('subject');
    if (subject) return { page: 'transfers', send: { subject, inspectionId: params.get('inspection') ?? undefined } };
    return arg ? { page: 'transfers', id: arg } : { page: 'transfers' };
  }
  if (page === 'permit-check') return { page: 'permit-check' };
  return arg ? { page: 'enterprise', uscc: arg } : { page: 'enterprise' };
}

export function hrefOf(route: Route): string {
  const arg = 'uscc' in route && route.uscc ? route.uscc : 'id' in route && route.id ? route.id : undefined;
  return `#/${route.page}${arg ? `/${encodeURIComponent(arg)}` : ''}`;
}

/** The transfers page with its send form filled in from an inspection or a loop gap. */
export function sendHref(send: { subject: string; inspectionId?: string }): string {
  const params = new URLSearchParams({
    subject: send.subject,
    ...(send.inspectionId ? { inspection: send.inspectionId } : {}),
  });
  return `#/transfers?${params.toString()}`;
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
