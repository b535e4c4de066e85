/**
 * Who is signed in, and how: a person's session (login name and password; the server keeps an
 * HttpOnly cookie the page never sees) or a bearer token (pasted once, kept for the browser tab's
 * session). Either way `GET /api/me` says the organisation, role and permissions, and the role decides
 * what is shown.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { api, setUnauthorizedHandler, tokenStore } from './api.ts';

export interface Me {
  readonly orgId: string;
  readonly orgName: string;
  readonly role: string;
  /** A token's id, or `user:<userId>` for a person's session. */
  readonly tokenId: string;
  readonly permissions: readonly string[];
}

interface AuthState {
  readonly me: Me | null;
  readonly loading: boolean;
  /** Sign in with an API token. */
  login(token: string): Promise<void>;
  /** Sign in as a person: the server sets the session cookie. */
  loginWithPassword(input: { org: string; login: string; password: string }): Promise<void>;
  logout(): void;
  can(permission: string): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { readonly children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  // A session cookie cannot be seen from the page, so every start asks /api/me once.
  const [loading, setLoading] = useState(true);
  const meRef = useRef<Me | null>(null);
  meRef.current = me;

  /** Forget who is signed in here (the server already said the token or session is no good). */
  const drop = useCallback(() => {
    tokenStore.clear();
    setMe(null);
  }, []);

  const logout = useCallback(() => {
    const wasSession = meRef.current?.tokenId.startsWith('user:') ?? false;
    if (!wasSession) return drop();
    // The session ends on the server first (it revokes it and clears the cookie), so a reload right
    // after cannot sign the browser back in. A token stays valid: it is the admin's to revoke.
    void api('/api/session', { method: 'DELETE', token: '' })
      .catch(() => undefined)
      .finally(drop);
  }, [drop]);

  useEffect(() => {
    setUnauthorizedHandler(drop);
    api<Me>('/api/me')
      .then(setMe)
      .catch(() => tokenStore.clear())
      .finally(() => setLoading(false));
  }, [drop]);

  const login = useCallback(async (token: string) => {
    const who = await api<Me>('/api/me', { token });
    tokenStore.set(token);
    setMe(who);
  }, []);

  const loginWithPassword = useCallback(async (input: { org: string; login: string; password: string }) => {
    // A token kept from earlier would win over the new session (bearer first): forget it.
    tokenStore.clear();
    await api<Me>('/api/session', { method: 'POST', body: input, token: '' });
    setMe(await api<Me>('/api/me'));
  }, []);

  const value = useMemo<AuthState>(
    () => ({ me, loading, login, loginWithPassword, logout, can: (p) => me?.permissions.includes(p) ?? false }),
    [me, loading, login, loginWithPassword, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
