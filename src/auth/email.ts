/**
 * The one email normaliser, used on every path that stores or looks up an address (signup,
 * login, admin user creation, lookups). The rule:
 *
 * 1. NFKC, so compatibility characters become their ordinary twins (the Kelvin sign U+212A
 *    becomes `K`, fullwidth letters become ASCII);
 * 2. trim surrounding whitespace;
 * 3. toLowerCase, Unicode's full lowercase mapping (`Ö` → `ö`, `İ` → `i̇`), then NFKC again,
 *    because lowercasing can leave a string that is no longer in NFKC.
 *
 * The normalised form is what is stored and compared: SQLite's NOCASE folds ASCII only, so
 * `Öl@x.example` and `öl@x.example` would otherwise be two accounts of which one can never log
 * in. The local part is folded too: no mail provider we know of distinguishes case, and one
 * account per address matters more than a theoretical RFC 5321 §2.4 distinction.
 */

/** Longest address accepted (RFC 5321 §4.5.3.1.3: a 256-octet path less its brackets). */
export const EMAIL_MAX_CHARS = 254;

const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,63}$/;

export function normalizeEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/** True when a normalised address has the shape of one (`local@domain.tld`, bounded). */
export function isEmailShaped(email: string): boolean {
  return email.length <= EMAIL_MAX_CHARS && EMAIL_SHAPE.test(email);
}
