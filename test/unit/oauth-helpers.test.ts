/** Pure OAuth helpers: Basic credentials, PKCE, response redirects, repeated parameters. */
import { describe, expect, it } from 'vitest';
import { clientRedirect } from '../../src/oauth/authorize-request';
import { parseBasicAuth, singleParams } from '../../src/oauth/form';
import { isCodeVerifier, isS256Challenge, verifyS256 } from '../../src/oauth/pkce';

describe('parseBasicAuth', () => {
  it.each([
    ['absent', undefined, undefined],
    ['another scheme', 'Bearer abc', undefined],
    ['no colon', `Basic ${btoa('client')}`, null],
    ['not base64', 'Basic ***', null],
    ['bad percent-encoding', `Basic ${btoa('a%zz:b')}`, null],
    ['plain', `Basic ${btoa('app_1:s3cret')}`, { clientId: 'app_1', secret: 's3cret' }],
    ['form-encoded', `basic ${btoa('app_1:a%3Ab+c')}`, { clientId: 'app_1', secret: 'a:b c' }],
    ['a colon in the secret', `Basic ${btoa('app_1:x:y')}`, { clientId: 'app_1', secret: 'x:y' }],
  ])('%s', (_name, header, expected) => {
    expect(parseBasicAuth(header)).toStrictEqual(expected);
  });
});

describe('PKCE', () => {
  it('verifies the RFC 7636 appendix B example', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(await verifyS256(verifier, challenge)).toBe(true);
    expect(await verifyS256(verifier.replace('d', 'e'), challenge)).toBe(false);
  });

  it.each([
    ['the plain verifier as challenge', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', true],
    ['too short', 'abc', false],
    ['padding', `${'a'.repeat(42)}=`, false],
  ])('challenge shape: %s', (_name, value, ok) => {
    expect(isS256Challenge(value)).toBe(ok);
  });

  it.each([
    ['42 characters', 'a'.repeat(42), false],
    ['129 characters', 'a'.repeat(129), false],
    ['a space', `${'a'.repeat(43)} `, false],
    ['unreserved punctuation', `${'a'.repeat(40)}.~_`, true],
  ])('verifier shape: %s', (_name, value, ok) => {
    expect(isCodeVerifier(value)).toBe(ok);
  });
});

describe('clientRedirect', () => {
  it('keeps the registered query byte for byte and adds iss (RFC 9207)', () => {
    expect(
      clientRedirect('https://a.test/cb?x=a%20b', { code: 'c', state: null }, 'https://as.test'),
    ).toBe('https://a.test/cb?x=a%20b&code=c&iss=https%3A%2F%2Fas.test');
  });
});

describe('singleParams', () => {
  it('names the first repeated parameter', () => {
    expect(singleParams(new URLSearchParams('a=1&b=2&a=3'))).toStrictEqual({
      ok: false,
      repeated: 'a',
    });
  });
});
