import type { User, UserManager } from 'oidc-client-ts';

/** What /console/session-options tells about the identity platform (CONSOLE_OIDC_*). */
export interface OidcOptions {
  issuer: string;
  clientId: string;
  scope: string;
  resource?: string;
}

/**
 * oidc-client-ts (the maintained successor of oidc-client-js, certified-style discovery, PKCE,
 * refresh and end-session) loads only when the identity platform is used, so demo sign-in pays
 * nothing for it. The user, and so the tokens, live in memory only: a reload or a closed tab
 * forgets them (the platform's own session signs the person back in without a password). Only
 * the one-time PKCE verifier and state survive the redirect, in sessionStorage, and are removed
 * by the callback.
 */
export async function createUserManager(options: OidcOptions): Promise<UserManager> {
  const { InMemoryWebStorage, UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  const home = `${window.location.origin}/`;
  return new UserManager({
    authority: options.issuer,
    client_id: options.clientId,
    scope: options.scope,
    ...(options.resource ? { resource: options.resource } : {}),
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Renewed with the refresh token a minute before the access token expires.
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: 60,
    // The console's CSP forbids frames, and a session-state iframe would need one.
    monitorSession: false,
  });
}

/** Whether this page load is the identity platform sending the person back with a code (or an error). */
export function isSignInCallback(location: Location = window.location): boolean {
  const params = new URLSearchParams(location.search);
  return params.has('state') && (params.has('code') || params.has('error'));
}

/** The callback's query is one-time; leave the address without it (keeping the console's own #route). */
export function forgetCallbackQuery(): void {
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
}

/** A short label for the header: the person's name, else their subject. */
export function userLabel(user: User): string {
  const profile = user.profile;
  const name = typeof profile.name === 'string' && profile.name ? profile.name : profile.sub;
  const authority = typeof profile.authority === 'string' ? ` · ${profile.authority}` : '';
  return `${name}${authority}`;
}
