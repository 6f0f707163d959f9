/** Lists as async iterators that follow `Link: <…>; rel="next"` (RFC 8288, spec §14). */
import type { Transport } from './http.js';

/** Yields every item of every page, one by one, fetching the next page only when needed. */
export async function* paginate<T>(transport: Transport, firstPage: string): AsyncGenerator<T> {
  let next: string | undefined = firstPage;
  while (next !== undefined) {
    const { body, response }: { body: T[]; response: Response } = await transport.json<T[]>(
      'GET',
      next,
    );
    yield* body;
    next = nextLink(response.headers.get('Link'), response.url || next, transport);
  }
}

/** The target of the `rel="next"` link, resolved against the response's URL (RFC 8288 §3.2). */
export function nextLink(
  header: string | null,
  base: string,
  transport: Transport,
): string | undefined {
  if (header === null) return undefined;
  for (const match of header.matchAll(/<([^>]*)>([^,]*)/g)) {
    const rel = /;\s*rel="?([^";]*)"?/i.exec(match[2] ?? '')?.[1] ?? '';
    if (rel.toLowerCase().split(/\s+/).includes('next')) {
      return new URL(match[1] ?? '', transport.url(base)).toString();
    }
  }
  return undefined;
}
