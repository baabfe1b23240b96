/**
 * A name a producer chose (queue, job), as text a page can show: control
 * characters become their visible pictures (NUL → ␀, a newline → ␊), invisible
 * direction overrides are spelled out (⟨U+202E⟩), and lone surrogate halves become
 * U+FFFD. Links and keys keep the name itself; only what is shown changes.
 */
export function printable(name: string): string {
  const wellFormed = (name as string & { toWellFormed?: () => string }).toWellFormed;
  const text = wellFormed ? wellFormed.call(name) : name;
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
    /[\u0000-\u001f\u007f\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => {
      const code = c.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      if (code === 0x7f) return '\u2421';
      return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
    },
  );
}
