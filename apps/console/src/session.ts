/**
 * Who is signed in: the API key, kept in this tab's session storage (gone when the tab closes;
 * never a cookie, so no request is ever authenticated by the browser on its own).
 */
export type Role = "tenant" | "admin";

export interface Session {
  key: string;
  role: Role;
}

const STORAGE_KEY = "facegate.session";

export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (typeof parsed.key === "string" && (parsed.role === "tenant" || parsed.role === "admin"))
      return { key: parsed.key, role: parsed.role };
  } catch {
    // A damaged entry signs out.
  }
  sessionStorage.removeItem(STORAGE_KEY);
  return undefined;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function endSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
