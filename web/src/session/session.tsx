import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { User, UserManager } from 'oidc-client-ts';
import { createUserManager, forgetCallbackQuery, isSignInCallback, userLabel } from './oidc.ts';
import type { OidcOptions } from './oidc.ts';
import { revokeOwnToken, type SignOutNotice } from './revoke-own-token.ts';

export interface DemoPresetCard {
  name: string;
  description: string;
  authorityCode: string;
  authorityName: string;
  authorityKind: string;
  roles: string[];
  kind: 'PERSON' | 'SYSTEM';
}

export interface SessionOptions {
  signIn: 'demo' | 'oidc' | 'none' | 'unavailable';
  presets: DemoPresetCard[];
  oidc?: OidcOptions;
}

export async function fetchSessionOptions(): Promise<SessionOptions> {
  const response = await fetch('/console/session-options');
  if (!response.ok) throw new Error(`session options: HTTP ${response.status}`);
  return (await response.json()) as SessionOptions;
}

/**
 * The code in the address is redeemed once, even when React runs effects twice (StrictMode):
 * a second redemption would find its state already consumed and fail.
 */
let pendingCallback: Promise<{ manager: UserManager; user: User }> | undefined;
function completeSignInOnce(): Promise<{ manager: UserManager; user: User }> {
  pendingCallback ??= (async () => {
    const options = await fetchSessionOptions();
    if (!options.oidc) throw new Error('the gateway has no identity platform configured for the console');
    const manager = await createUserManager(options.oidc);
    try {
      const user = await manager.signinCallback();
      if (!user) throw new Error('the identity platform returned no user');
      return { manager, user };
    } finally {
      forgetCallbackQuery();
    }
  })();
  return pendingCallback;
}

export interface Session {
  /** The bearer token; kept in memory only, so closing the tab signs out. */
  token: string | null;
  preset: DemoPresetCard | null;
  /** Who signed in through the identity platform (name · authority), else null. */
  identity: string | null;
  /** The identity platform's answer could not be completed (shown on the sign-in page). */
  signInError: string | null;
  /** Sending the person to the identity platform's sign-in, or back from it. */
  redirecting: boolean;
  /** True once signed in, or when the gateway needs no token. */
  signedIn: boolean;
  purpose: string;
  setPurpose: (purpose: string) => void;
  signInAs: (preset: DemoPresetCard) => Promise<void>;
  signInWithoutToken: () => void;
  /** Leaves for the identity platform's sign-in; the page comes back with a code. */
  signInWithOidc: (options: OidcOptions) => Promise<void>;
  /** Revokes the token at the gateway, then forgets it here whatever the gateway answered. */
  signOut: () => Promise<void>;
  /** Set when the last sign-out could not end the token at the gateway; shown on the sign-in page. */
  signOutNotice: SignOutNotice | null;
  /** Read by the GraphQL link at request time, so a changed matter applies to the next request. */
  headers: () => Record<string, string>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(null);
  const [preset, setPreset] = useState<DemoPresetCard | null>(null);
  const [anonymous, setAnonymous] = useState(false);
  const [purpose, setPurpose] = useState('');
  const [identity, setIdentity] = useState<string | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const [signOutNotice, setSignOutNotice] = useState<SignOutNotice | null>(null);
  const [redirecting, setRedirecting] = useState(isSignInCallback());
  const manager = useRef<UserManager | null>(null);
  const current = useRef({ token, purpose });
  current.current = { token, purpose };

  const adopt = useCallback((next: UserManager, user: User) => {
    manager.current = next;
    setToken(user.access_token);
    setIdentity(userLabel(user));
    // Renewed tokens replace the old one in place; an expired one (renewal failed) signs out.
    next.events.addUserLoaded((renewed) => setToken(renewed.access_token));
    next.events.addAccessTokenExpired(() => {
      setToken(null);
      setIdentity(null);
      setSignInError('session expired');
    });
  }, []);

  useEffect(() => {
    if (!isSignInCallback()) return;
    completeSignInOnce().then(
      ({ manager: next, user }) => {
        adopt(next, user);
        setRedirecting(false);
      },
      (error: unknown) => {
        setSignInError(error instanceof Error ? error.message : String(error));
        setRedirecting(false);
      },
    );
  }, [adopt]);

  const signInWithOidc = useCallback(async (options: OidcOptions) => {
    setRedirecting(true);
    setSignInError(null);
    setSignOutNotice(null);
    try {
      await (await createUserManager(options)).signinRedirect();
    } catch (error) {
      setRedirecting(false);
      setSignInError(error instanceof Error ? error.message : String(error));
    }
  }, []);

  const signInAs = useCallback(async (card: DemoPresetCard) => {
    const response = await fetch('/console/demo-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ preset: card.name }),
    });
    const body = (await response.json()) as { token?: string; errors?: { message: string }[] };
    if (!response.ok || !body.token)
      throw new Error(body.errors?.[0]?.message ?? `sign-in failed (${response.status})`);
    setToken(body.token);
    setPreset(card);
    setSignOutNotice(null);
  }, []);

  const value = useMemo<Session>(
    () => ({
      token,
      preset,
      identity,
      signInError,
      redirecting,
      signedIn: token !== null || anonymous,
      purpose,
      setPurpose,
      signInAs,
      signInWithoutToken: () => setAnonymous(true),
      signInWithOidc,
      signOutNotice,
      signOut: async () => {
        const signedOut = current.current.token;
        // Ended at the gateway first: a token only forgotten here stays usable wherever a copy of it is.
        setSignOutNotice(signedOut ? await revokeOwnToken(signedOut) : null);
        setToken(null);
        setPreset(null);
        setIdentity(null);
        setAnonymous(false);
        setPurpose('');
        // Ends the identity platform's session too, or the next sign-in would pass without a password.
        const platform = manager.current;
        manager.current = null;
        if (platform) {
          setRedirecting(true);
          void platform.signoutRedirect().catch((error: unknown) => {
            setRedirecting(false);
            setSignInError(error instanceof Error ? error.message : String(error));
          });
        }
      },
      headers: () => {
        const headers: Record<string, string> = {};
        if (current.current.token) headers.authorization = `Bearer ${current.current.token}`;
        // Matter numbers are Chinese; the gateway reads the header percent-encoded (UTF-8).
        const matter = current.current.purpose.trim();
        if (matter) headers['x-purpose'] = encodeURIComponent(matter);
        return headers;
      },
    }),
    [token, preset, identity, signInError, signOutNotice, redirecting, anonymous, purpose, signInAs, signInWithOidc],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
