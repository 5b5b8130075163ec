/** Escapes LIKE/ILIKE wildcards so that a user's search text matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
