/** The roles of the platform (PRODUCT.md, "Who uses it"). */
export const ROLES = ['analyst', 'officer', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
