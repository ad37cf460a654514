/**
 * OpenID Connect sign-in (docs/security.md): a user who signs in through the organisation's identity
 * provider is linked to it by the provider's issuer and its stable subject identifier, never by e-mail
 * or name. Such a user has no password: the column holds a marker that no password can match, and the
 * check below keeps it so (a password set later by mistake would open a second way in).
 */
export const OIDC_NO_PASSWORD = '!oidc';

export const up = /* sql */ `
alter table app_user add column oidc_issuer text;
alter table app_user add column oidc_subject text;
alter table app_user add constraint app_user_oidc_link unique (oidc_issuer, oidc_subject);
alter table app_user add constraint app_user_oidc_whole
  check ((oidc_issuer is null) = (oidc_subject is null));
alter table app_user add constraint app_user_oidc_no_password
  check (oidc_subject is null or password_hash = '${OIDC_NO_PASSWORD}');
`;
