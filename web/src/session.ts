import { createContext, useContext } from 'react';
import type { User } from './api.js';

export const UserContext = createContext<User | null>(null);

export function useUser(): User | null {
  return useContext(UserContext);
}

/**
 * Which pages to offer each role. The server decides access (and answers 403); this only keeps
 * links to pages a role cannot open out of the way. Mirrors the route policies in src/api/routes.
 */
export const OFFER = {
  search: ['officer', 'supervisor'],
  quarantine: ['admin', 'supervisor'],
  // Auditors: every audit view; supervisors: the break-glass review; admins: the chain status.
  audit: ['auditor', 'supervisor', 'admin'],
  users: ['admin'],
  // Identity review (record linkage): case workers work the queue and mark identities verified;
  // merging and splitting persons by hand is a supervisor's; the model's error rate is a figure.
  identityReview: ['officer', 'supervisor'],
  linkageQuality: ['analyst', 'supervisor', 'auditor', 'admin'],
  identityVerify: ['officer', 'supervisor'],
  mergeSplit: ['supervisor'],
  // Departures: the live dashboard and the report are figures for every role; the stays behind a figure,
  // following a person and the alerts when a followed person is confirmed departed are case work.
  departureEvidence: ['officer', 'supervisor'],
  follow: ['officer', 'supervisor'],
} as const satisfies Record<string, readonly string[]>;

export function offered(user: User | null, what: keyof typeof OFFER): boolean {
  return !!user && (OFFER[what] as readonly string[]).includes(user.role);
}
