/**
 * RFC 9110 §13.1 conditional requests on metadata documents: parsing If-Match and
 * If-None-Match, the strong ETag of a version, and the rules a version must pass. Storage
 * applies the write rule in SQL (the check and the write are one statement); this module is
 * the same rule for explaining an outcome, and the read rule.
 */

/** Parsed conditional headers: `any` is `*`; tags are the opaque parts of strong entity-tags. */
export interface Preconditions {
  ifMatch: { any: boolean; tags: string[] } | null;
  ifNoneMatch: { any: boolean; tags: string[] } | null;
}

/** RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE. */
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/**
 * Parses an If-Match / If-None-Match value: `*`, or a comma-separated list of entity-tags.
 * Weak tags are dropped for If-Match (strong comparison never matches them) and kept by their
 * opaque part for If-None-Match (weak comparison). A malformed member matches nothing.
 */
function parseList(header: string, weakComparison: boolean): { any: boolean; tags: string[] } {
  if (header.trim() === '*') return { any: true, tags: [] };
  const tags: string[] = [];
  for (const member of header.split(',', 64)) {
    const match = ENTITY_TAG.exec(member.trim());
    if (!match) continue;
    if (match[1] && !weakComparison) continue;
    tags.push(match[2] as string);
  }
  return { any: false, tags };
}

export function parsePreconditions(
  ifMatch: string | undefined,
  ifNoneMatch: string | undefined,
): Preconditions {
  return {
    ifMatch: ifMatch === undefined ? null : parseList(ifMatch, false),
    ifNoneMatch: ifNoneMatch === undefined ? null : parseList(ifNoneMatch, true),
  };
}

/** A strong ETag for a document version. */
export function etagOf(version: string): string {
  return `"${version}"`;
}

function matches(list: { any: boolean; tags: string[] }, version: string): boolean {
  return list.any || list.tags.includes(version);
}

/** The write rule (RFC 9110 §13.2.2) for the current version, null when there is none. */
export function writeAllowed(pre: Preconditions, version: string | null): boolean {
  if (version === null) return pre.ifMatch === null;
  const matched = pre.ifMatch === null || matches(pre.ifMatch, version);
  const noneMatched = pre.ifNoneMatch !== null && matches(pre.ifNoneMatch, version);
  return matched && !noneMatched;
}

/**
 * The read rule for an existing document (RFC 9110 §13.2.2): If-Match first (false → 412 on
 * any method), then If-None-Match (matched → 304 on GET).
 */
export function readOutcome(
  pre: Preconditions,
  version: string,
): 'ok' | 'precondition_failed' | 'not_modified' {
  if (pre.ifMatch && !matches(pre.ifMatch, version)) return 'precondition_failed';
  if (pre.ifNoneMatch && matches(pre.ifNoneMatch, version)) return 'not_modified';
  return 'ok';
}
