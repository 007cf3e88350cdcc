import { isAbsolute, relative } from 'node:path';

/** A place in a script's own files; line and column from 1, as editors and Node's stack traces count. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/**
 * A script the engine refuses before any VU starts. The message is one line, `file:line:col: problem`, so that the
 * CLI can print it as it is.
 */
export class ScriptError extends Error {
  readonly position: SourcePosition | undefined;

  constructor(problem: string, position?: SourcePosition) {
    super(position ? `${formatPosition(position)}: ${problem}` : problem);
    this.name = 'ScriptError';
    this.position = position;
  }
}

/** `file:line:col`, the file relative to the working directory when it is inside it. */
export function formatPosition(position: SourcePosition): string {
  return `${displayPath(position.file)}:${position.line}:${position.column}`;
}

export function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const fromCwd = relative(process.cwd(), file);
  return fromCwd !== '' && !fromCwd.startsWith('..') && !isAbsolute(fromCwd) ? fromCwd : file;
}
