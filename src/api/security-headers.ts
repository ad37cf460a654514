import type { FastifyInstance } from 'fastify';

/**
 * The web app loads only its own scripts, styles, images and API; nothing may frame it. Inline styles
 * are allowed (the chart library sets style attributes on its SVG); inline scripts are not.
 */
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The API documentation page (Swagger UI) starts itself with an inline script and styles. */
const DOCS_CSP = APP_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");

/**
 * Security headers on every answer: a strict content security policy, no sniffing, no framing, no
 * referrer, no caching of API answers (they hold personal data), and HSTS when served over TLS.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    void reply.header('content-security-policy', req.url.startsWith('/docs') ? DOCS_CSP : APP_CSP);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('cross-origin-opener-policy', 'same-origin');
    void reply.header('cross-origin-resource-policy', 'same-origin');
    void reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (req.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    if (req.protocol === 'https')
      void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });
}
