/** Joins class names, skipping falsy ones (no tailwind-merge: variants are written not to clash). */
export function cn(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ');
}
