import { createHash } from 'node:crypto';
import { dashboardCss, dashboardHtml, dashboardJs } from './dashboard-page';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Only the page's own inline script and style may run, and it may only talk to this origin:
 * hashes instead of 'unsafe-inline' keep an injected script from running.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  `script-src ${hash(dashboardJs)}`,
  `style-src ${hash(dashboardCss)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const pages = new Map<string, string>();

export function dashboardResponse(apiBase: string): Response {
  let html = pages.get(apiBase);
  if (html === undefined) pages.set(apiBase, (html = dashboardHtml(apiBase)));
  return new Response(html, {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    },
  });
}
