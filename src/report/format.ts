/** Text made safe for HTML and SVG, inside elements and inside quoted attributes alike. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A fraction as a percentage, `d` decimals. */
export const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)}%`;

/** A method id as a file-name part (`supervised+gan-aug` -> `supervised_gan-aug`). */
export const slug = (s: string) => s.replace(/[^A-Za-z0-9-]/g, '_');
