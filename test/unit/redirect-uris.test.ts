/** Redirect URI registration and exact matching (RFC 6749 §3.1.2, RFC 8252 §7.3). */
import { describe, expect, it } from 'vitest';
import { isAcceptableRedirectUri, matchRedirectUri } from '../../src/oauth/redirect-uris';

describe('isAcceptableRedirectUri', () => {
  it.each([
    'https://app.example/cb',
    'https://app.example:8443/cb?x=1',
    'http://127.0.0.1/cb',
    'http://[::1]:8080/cb',
    'http://localhost:3000/cb',
  ])('accepts %s', (uri) => {
    expect(isAcceptableRedirectUri(uri)).toBe(true);
  });

  it.each([
    'http://app.example/cb',
    'https://app.example/cb#frag',
    'https://app.example/cb#',
    'https://user:pw@app.example/cb',
    'javascript:alert(1)',
    'ftp://app.example/cb',
    '/relative',
    '',
  ])('refuses %j', (uri) => {
    expect(isAcceptableRedirectUri(uri)).toBe(false);
  });
});

describe('matchRedirectUri', () => {
  const registered = ['https://app.example/cb', 'http://127.0.0.1:3000/cb', 'http://[::1]/cb?a=1'];

  it('matches an identical string', () => {
    expect(matchRedirectUri('https://app.example/cb', registered)).toBe(true);
  });

  it.each([
    'https://app.example/cb/',
    'https://app.example/CB',
    'https://APP.example/cb',
    'https://app.example/cb?x=1',
    'https://app.example:443/cb',
    'https://app.example.evil/cb',
    'https://app.example/cb#x',
    'http://localhost:3000/cb',
    'http://127.0.0.1:3000/other',
    'http://127.0.0.1:3000/cb?x=1',
    'http://[::1]/cb?a=2',
    'https://127.0.0.1:3000/cb',
  ])('does not match %s', (uri) => {
    expect(matchRedirectUri(uri, registered)).toBe(false);
  });

  it.each(['http://127.0.0.1:9999/cb', 'http://127.0.0.1/cb', 'http://[::1]:5555/cb?a=1'])(
    'lets the port of a loopback IP literal differ: %s',
    (uri) => {
      expect(matchRedirectUri(uri, registered)).toBe(true);
    },
  );

  it('does not relax the port for localhost', () => {
    expect(matchRedirectUri('http://localhost:1/cb', ['http://localhost:2/cb'])).toBe(false);
  });
});

describe('matchRedirectUri: the loopback exception relaxes the port and nothing else', () => {
  const registered = ['http://127.0.0.1:3000/cb', 'http://[::1]/cb'];

  // Spec §11: exact string match except the port of an http loopback IP literal. Each of these
  // names the same host to a URL parser, but it is not the registered string with another port.
  it.each([
    'http://user@127.0.0.1:9/cb',
    'http://u:p@127.0.0.1/cb',
    'http://127.1:9/cb',
    'http://0x7f000001/cb',
    'http://2130706433/cb',
    'http://127.0.0.1.:9/cb',
    'http://127.0.0.1:/cb',
    'http://127.0.0.1:09/cb',
    'http://127.0.0.1:99999/cb',
    'http://[0:0:0:0:0:0:0:1]:5/cb',
    'http://[::1]:5\\cb',
    'HTTP://127.0.0.1:9/cb',
  ])('does not match %s', (uri) => {
    expect(matchRedirectUri(uri, registered)).toBe(false);
  });
});
