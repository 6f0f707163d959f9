/** RFC 9110 §13.1 conditional request headers, parsed for metadata writes. */
import type { Preconditions } from '../storage/app-metadata';

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
