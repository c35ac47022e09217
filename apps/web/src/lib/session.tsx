// The GraphQL client for this browser session. Signing in or out starts a new client, so nothing one identity
// loaded is ever shown to the next; a refusal from the server bumps `authChecks`, and the viewer gate asks again.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Provider } from 'urql';
import { createGraphQLClient } from './urql';

interface Session {
  /** Forget everything cached (after sign-in / sign-out). */
  resetSession: () => void;
  /** Increments when the server refused an operation for who the caller is. */
  authChecks: number;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [generation, setGeneration] = useState(0);
  const [authChecks, setAuthChecks] = useState(0);

  const client = useMemo(
    () => createGraphQLClient({ onAuthRefused: () => setAuthChecks((n) => n + 1) }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new client per generation is the point: a fresh cache
    [generation],
  );
  const resetSession = useCallback(() => setGeneration((n) => n + 1), []);
  const session = useMemo(() => ({ resetSession, authChecks }), [resetSession, authChecks]);

  return (
    <SessionContext value={session}>
      <Provider value={client}>{children}</Provider>
    </SessionContext>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider> above it');
  return session;
}
