import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';

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
  signIn: 'demo' | 'none' | 'unavailable';
  presets: DemoPresetCard[];
}

export interface Session {
  /** The bearer token; kept in memory only, so closing the tab signs out. */
  token: string | null;
  preset: DemoPresetCard | null;
  /** True once signed in, or when the gateway needs no token. */
  signedIn: boolean;
  purpose: string;
  setPurpose: (purpose: string) => void;
  signInAs: (preset: DemoPresetCard) => Promise<void>;
  signInWithoutToken: () => void;
  signOut: () => void;
  /** Read by the GraphQL link at request time, so a changed matter applies to the next request. */
  headers: () => Record<string, string>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(null);
  const [preset, setPreset] = useState<DemoPresetCard | null>(null);
  const [anonymous, setAnonymous] = useState(false);
  const [purpose, setPurpose] = useState('');
  const current = useRef({ token, purpose });
  current.current = { token, purpose };

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
  }, []);

  const value = useMemo<Session>(
    () => ({
      token,
      preset,
      signedIn: token !== null || anonymous,
      purpose,
      setPurpose,
      signInAs,
      signInWithoutToken: () => setAnonymous(true),
      signOut: () => {
        setToken(null);
        setPreset(null);
        setAnonymous(false);
        setPurpose('');
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
    [token, preset, anonymous, purpose, signInAs],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
