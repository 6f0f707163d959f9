/** The user's profile as the API returns it (spec §8, §11). */
import type { EntityJson } from './kinds';
import { formatTimestamp } from './time';

/** A users row as storage returns it (explicit columns, never the password hash). */
export interface UserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  created_at: number;
}

export function toProfile(row: UserRow): EntityJson {
  return {
    id: row.id,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    display_name: [row.first_name, row.last_name].filter((part) => part.length > 0).join(' '),
    registered_at: formatTimestamp(row.created_at),
  };
}
