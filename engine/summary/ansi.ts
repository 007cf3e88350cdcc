type Color = 'red' | 'green' | 'cyan' | 'white';

const COLOR_CODES: Record<Color, string> = { red: '31', green: '32', cyan: '36', white: '37' };

/** k6's ANSI decorations, or none when colors are off. */
export class Formatter {
  constructor(readonly colors: boolean) {}

  color(text: string, color: Color, faint = false): string {
    if (!this.colors) return text;
    return `\x1b[${faint ? '2;' : ''}${COLOR_CODES[color]}m${text}\x1b[0m`;
  }

  bold(text: string): string {
    return this.colors ? `\x1b[1m${text}\x1b[0m` : text;
  }
}

/** The columns a string takes in a terminal: ANSI sequences take none, each (NFKC) code point takes one. */
export function displayWidth(text: string): number {
  const visible = text.replace(/\x1b\[[0-9;]*[@-~]/g, '');
  let width = 0;
  for (const _ of visible.normalize('NFKC')) width++;
  return width;
}
