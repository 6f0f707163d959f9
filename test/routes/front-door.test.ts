/** spec §15 front door: GET /, /docs from this origin only, and a CSP on every HTML response. */
import { describe, expect, it } from 'vitest';
import { DOCS_CSP, PAGE_CSP, needsPageCsp } from '../../src/http/content-security-policy';
import { createAccount, signedInBrowser } from '../helpers/browser';
import { createApp } from '../helpers/factories';
import { authorizeUrl } from '../helpers/oauth-flow';
import { call } from '../helpers/worker';

describe('GET /', () => {
  it('is an HTML page for people that links to sign in, settings, the reference and health', async () => {
    const res = await call('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=UTF-8');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    for (const href of ['/login', '/signup', '/settings', '/docs', '/docs/client/', '/health']) {
      expect(html).toContain(`href="${href}"`);
    }
  });
});

describe('GET /docs', () => {
  it('loads its script and stylesheet from this origin only, with no inline script', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources).toStrictEqual([
      '/docs/vendor/swagger-ui.css',
      '/openapi.json',
      '/docs/client/',
      '/docs/vendor/swagger-ui-bundle.js',
      '/docs/init.js',
    ]);
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/);
  });

  it('carries a CSP that allows scripts from this origin alone', async () => {
    const res = await call('/docs');
    expect(res.headers.get('Content-Security-Policy')).toBe(DOCS_CSP);
    expect(DOCS_CSP).toContain("script-src 'self';");
    expect(DOCS_CSP).toContain("frame-ancestors 'none'");
    expect(DOCS_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});

describe('Content-Security-Policy on HTML responses', () => {
  it.each([
    ['the front door', '/'],
    ['the login page', '/login'],
    ['the signup page', '/signup'],
    ['an authorize error page', '/oauth/authorize?client_id=app_unknown&response_type=code'],
  ])('%s (%s) carries the page policy', async (_name, path) => {
    const res = await call(path);
    expect(res.headers.get('Content-Type')).toContain('text/html');
    expect(res.headers.get('Content-Security-Policy')).toBe(PAGE_CSP);
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('the signed-in settings page carries the page policy', async () => {
    const browser = await signedInBrowser(await createAccount());
    const res = await browser.get('/settings');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Security-Policy')).toBe(PAGE_CSP);
  });

  it('the consent page carries the page policy', async () => {
    const browser = await signedInBrowser(await createAccount());
    const { path } = await authorizeUrl({ app: await createApp(), scopes: ['profile'] });
    const location = (await browser.get(path)).headers.get('Location') as string;
    expect(location).toMatch(/^\/oauth\/consent\?tx=/);
    const res = await browser.get(location);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Security-Policy')).toBe(PAGE_CSP);
  });

  it('the page policy forbids scripts, other origins and framing', () => {
    expect(PAGE_CSP).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it.each([
    ['text/html; charset=UTF-8', null, true],
    ['TEXT/HTML', null, true],
    ['text/html', "default-src 'none'", false],
    ['application/json', null, false],
    [null, null, false],
  ])('a response of type %s with policy %s needs the page policy: %s', (type, csp, expected) => {
    const headers = new Headers();
    if (type !== null) headers.set('Content-Type', type);
    if (csp !== null) headers.set('Content-Security-Policy', csp);
    expect(needsPageCsp(headers)).toBe(expected);
  });

  it('JSON responses carry no page policy', async () => {
    const res = await call('/health');
    expect(res.headers.get('Content-Security-Policy')).toBeNull();
  });
});
