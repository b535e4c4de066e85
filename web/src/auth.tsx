/**
 * Who is signed in: a bearer token (pasted once, kept for the browser tab's session) and what
 * `GET /api/me` says about it — organisation, role and permissions. The role decides what is shown.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, setUnauthorizedHandler, tokenStore } from './api.ts';

export interface Me {
  readonly orgId: string;
  readonly orgName: string;
  readonly role: string;
  readonly tokenId: string;
  readonly permissions: readonly string[];
}

interface AuthState {
  readonly me: Me | null;
  readonly loading: boolean;
  login(token: string): Promise<void>;
  logout(): void;
  can(permission: string): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { readonly children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(tokenStore.get() !== null);

  const logout = useCallback(() => {
    tokenStore.clear();
    setMe(null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(logout);
    const token = tokenStore.get();
    if (!token) return;
    api<Me>('/api/me')
      .then(setMe)
      .catch(() => tokenStore.clear())
      .finally(() => setLoading(false));
  }, [logout]);

  const login = useCallback(async (token: string) => {
    const who = await api<Me>('/api/me', { token });
    tokenStore.set(token);
    setMe(who);
  }, []);

  const value = useMemo<AuthState>(() => ({ me, loading, login, logout, can: (p) => me?.permissions.includes(p) ?? false }), [me, loading, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
