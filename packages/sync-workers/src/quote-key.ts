/** A key as error messages show it: JSON-quoted, cut after 60 characters. */
export function quoteKey(key: string): string {
  return JSON.stringify(key.length > 60 ? key.slice(0, 60) + '…' : key);
}
