/**
 * Strict I-JSON validation (RFC 8259 grammar + RFC 7493 §2.1-2.3) in one linear, iterative
 * pass, so hostile input can never recurse deeply or backtrack (docs/security.md).
 */
const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; // RFC 8259 §2
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean =>
  isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isHigh = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;
const ESCAPES = '"\\/bfnrt'; // RFC 8259 §7 two-character escapes (besides \u)

/**
 * One linear, iterative pass over the RFC 8259 grammar plus RFC 7493 §2.1-2.3 (no lone
 * surrogates, numbers representable as finite doubles, unique member names). Returns null when
 * valid, else a reason. Containers live on an explicit stack: a Set of seen names per object,
 * null per array.
 */
export function validateIJson(text: string): string | null {
  return new JsonScanner(text).scan();
}

/** The scanner behind validate: a cursor over the text and the stack of open containers. */
class JsonScanner {
  private readonly n: number;
  private readonly stack: Array<Set<string> | null> = [];
  private i = 0;
  private error = '';

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  scan(): string | null {
    const { text } = this;
    for (;;) {
      this.ws();
      const c = text.charCodeAt(this.i);
      if (c === 0x7b || c === 0x5b) {
        if (this.open(c)) continue;
        if (this.error) return this.error;
      } else if (c === 0x22) {
        if (!this.string()) return this.error;
      } else if (c === 0x2d || isDigit(c)) {
        if (!this.number()) return this.error;
      } else if (text.startsWith('true', this.i)) this.i += 4;
      else if (text.startsWith('false', this.i)) this.i += 5;
      else if (text.startsWith('null', this.i)) this.i += 4;
      else return this.at('a value');
      const next = this.afterValue();
      if (next === 'value') continue;
      if (next === 'error') return this.error;
      return this.i === this.n ? null : `unexpected trailing data at offset ${this.i}`;
    }
  }

  /** At '{' or '[': true when a container was opened (a value follows), false when it was empty. */
  private open(c: number): boolean {
    this.i++;
    this.ws();
    if (this.text.charCodeAt(this.i) === c + 2) {
      this.i++; // empty '{}' or '[]'
      return false;
    }
    if (c === 0x5b) {
      this.stack.push(null);
      return true;
    }
    const names = new Set<string>();
    this.stack.push(names);
    return this.member(names);
  }

  /** After a value: close containers, or move on to the next element or member. */
  private afterValue(): 'value' | 'done' | 'error' {
    for (;;) {
      this.ws();
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) return 'done';
      const d = this.text.charCodeAt(this.i);
      if (d === 0x2c) {
        this.i++;
        return top !== null && !this.member(top) ? 'error' : 'value';
      }
      if (d !== (top === null ? 0x5d : 0x7d)) {
        this.error = this.at(top === null ? "',' or ']'" : "',' or '}'");
        return 'error';
      }
      this.stack.pop();
      this.i++;
    }
  }

  private ws(): void {
    while (this.i < this.n && isWs(this.text.charCodeAt(this.i))) this.i++;
  }

  private at(what: string): string {
    return this.i >= this.n
      ? `unexpected end of input, expected ${what}`
      : `expected ${what} at offset ${this.i}`;
  }

  private fail(reason: string): false {
    this.error = reason;
    return false;
  }

  // RFC 8259 §7 string, with RFC 7493 §2.1 well-formed UTF-16 code units. Advances i past it.
  private string(): boolean {
    const { text, n } = this;
    let pendingHigh = false;
    for (this.i++; ;) {
      if (this.i >= n) return this.fail('unterminated string');
      const c = text.charCodeAt(this.i);
      if (c === 0x22) break;
      if (c < 0x20) return this.fail(`unescaped control character at offset ${this.i}`);
      const unit = c === 0x5c ? this.escape() : (this.i++, c);
      if (unit === null) return false;
      if (pendingHigh !== isLow(unit)) return this.fail(`lone surrogate before ${this.i}`);
      pendingHigh = !pendingHigh && isHigh(unit);
    }
    if (pendingHigh) return this.fail(`lone surrogate before ${this.i}`);
    this.i++;
    return true;
  }

  /** At a backslash: the escaped UTF-16 unit (0 for the two-character escapes), or null. */
  private escape(): number | null {
    const { text, i } = this;
    const e = text.charAt(i + 1);
    if (e === 'u') {
      for (let k = i + 2; k < i + 6; k++) {
        if (!isHex(text.charCodeAt(k))) return (this.fail(`invalid \\u escape at ${i}`), null);
      }
      this.i += 6;
      return parseInt(text.slice(i + 2, i + 6), 16);
    }
    if (e !== '' && ESCAPES.includes(e)) {
      this.i += 2;
      return 0;
    }
    return (this.fail(`invalid escape at offset ${i}`), null);
  }

  /** Digits from i; true when any of them is not '0'. */
  private digits(): boolean {
    let nonZero = false;
    while (this.i < this.n && isDigit(this.text.charCodeAt(this.i))) {
      if (this.text.charCodeAt(this.i++) !== 0x30) nonZero = true;
    }
    return nonZero;
  }

  // RFC 8259 §6 number; RFC 7493 §2.2: must be a finite double, and a non-zero literal must
  // not underflow to zero.
  private number(): boolean {
    const { text } = this;
    const start = this.i;
    const invalid = () => this.fail(`invalid number at offset ${start}`);
    if (text.charCodeAt(this.i) === 0x2d) this.i++;
    const intStart = this.i;
    let nonZero = this.digits();
    if (this.i === intStart || (text.charCodeAt(intStart) === 0x30 && this.i > intStart + 1)) {
      return invalid();
    }
    if (text.charCodeAt(this.i) === 0x2e) {
      const fracStart = ++this.i;
      nonZero = this.digits() || nonZero;
      if (this.i === fracStart) return invalid();
    }
    if (text.charCodeAt(this.i) === 0x65 || text.charCodeAt(this.i) === 0x45) {
      this.i++;
      if (text.charCodeAt(this.i) === 0x2b || text.charCodeAt(this.i) === 0x2d) this.i++;
      const expStart = this.i;
      this.digits();
      if (this.i === expStart) return invalid();
    }
    const v = Number(text.slice(start, this.i));
    if (!Number.isFinite(v) || (v === 0 && nonZero)) {
      return this.fail(`number at offset ${start} does not fit a double`);
    }
    return true;
  }

  // Member name, unique within its object (compared decoded), then the name separator.
  private member(names: Set<string>): boolean {
    this.ws();
    if (this.text.charCodeAt(this.i) !== 0x22) return this.fail(this.at('a member name'));
    const start = this.i;
    if (!this.string()) return false;
    const name = JSON.parse(this.text.slice(start, this.i)) as string;
    if (names.has(name)) return this.fail(`duplicate member name at offset ${start}`);
    names.add(name);
    this.ws();
    if (this.text.charCodeAt(this.i) !== 0x3a) return this.fail(this.at("':'"));
    this.i++;
    return true;
  }
}
