import { useSyncExternalStore } from 'react';

/**
 * The purpose of use the signed-in user works under: every read of personal data names one
 * (docs/security.md). Chosen in the header, kept for the browser tab, sent with every request.
 */
export interface CurrentPurpose {
  readonly code: string;
  readonly reference: string;
}

const KEY = 'imos.purpose';
let current: CurrentPurpose | null = read();
const listeners = new Set<() => void>();

function read(): CurrentPurpose | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as CurrentPurpose) : null;
  } catch {
    return null;
  }
}

export function currentPurpose(): CurrentPurpose | null {
  return current;
}

export function setPurpose(p: CurrentPurpose | null): void {
  current = p;
  if (p) sessionStorage.setItem(KEY, JSON.stringify(p));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export function onPurposeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The request headers that carry the purpose. */
export function purposeHeaders(): Record<string, string> {
  if (!current) return {};
  return {
    'x-purpose': current.code,
    ...(current.reference.trim() ? { 'x-purpose-reference': current.reference.trim() } : {}),
  };
}

/** The current purpose, re-rendering when it changes. */
export function usePurpose(): CurrentPurpose | null {
  return useSyncExternalStore(onPurposeChange, currentPurpose);
}
