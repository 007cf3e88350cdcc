// Applies the unified diffs of a patch directory (build/k6/patches) to a scratch copy of a Go module with its modules
// vendored. The Dockerfile applies the same files with `git apply`; this reader keeps `npm run setup` free of git and
// stricter than it: each hunk's old text must be in its file exactly once, or the build stops.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProvisionError } from './go-build.ts';

interface Hunk { before: string; after: string }
interface FilePatch { path: string; hunks: Hunk[] }

/** The .patch files of a directory, sorted, so they apply (and hash) in a stable order. */
export function patchFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.patch')).sort().map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** Reads a unified diff; the text before its first `--- ` line is commentary, as for git apply. */
export function parsePatch(text: string, source: string): FilePatch[] {
  // Without the file's final newline, which would read as one more (empty) context line.
  const lines = text.replace(/\n$/, '').split('\n');
  const files: FilePatch[] = [];
  let hunk: { before: string[]; after: string[] } | undefined;
  const closeHunk = (): void => {
    if (hunk) files.at(-1)!.hunks.push({ before: hunk.before.join('\n'), after: hunk.after.join('\n') });
    hunk = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      closeHunk();
      // -p1, as git apply: "+++ b/vendor/…" names vendor/… in the module copy.
      const path = lines[i + 1]!.slice(4).split('\t')[0]!.replace(/^b\//, '');
      files.push({ path, hunks: [] });
      i++;
    } else if (line.startsWith('@@')) {
      if (files.length === 0) throw new ProvisionError(`${source}: a hunk before any file header`);
      closeHunk();
      hunk = { before: [], after: [] };
    } else if (hunk) {
      // An editor may strip the single space of an empty context line.
      const [mark, body] = line === '' ? [' ', ''] : [line[0], line.slice(1)];
      if (mark === ' ' || mark === '-') hunk.before.push(body);
      if (mark === ' ' || mark === '+') hunk.after.push(body);
      if (mark !== ' ' && mark !== '-' && mark !== '+') throw new ProvisionError(`${source}: unexpected line in a hunk: ${line}`);
    }
  }
  closeHunk();
  if (files.length === 0 || files.some((file) => file.hunks.length === 0)) throw new ProvisionError(`${source}: no hunks`);
  return files;
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** Applies every patch of patchDir under moduleCopy, failing loudly when a hunk's code is not there exactly once. */
export function applyPatches(patchDir: string, moduleCopy: string): string[] {
  const patches = patchFiles(patchDir);
  for (const patch of patches) {
    for (const file of parsePatch(readFileSync(patch, 'utf8'), patch)) {
      const target = join(moduleCopy, file.path);
      let text = readFileSync(target, 'utf8');
      for (const hunk of file.hunks) {
        const found = occurrences(text, hunk.before);
        if (found !== 1) {
          throw new ProvisionError(
            `${patch}: the code it changes in ${file.path} is there ${found} times, not once; the module changed, so check whether the patch is still needed and remake it`,
          );
        }
        text = text.replace(hunk.before, () => hunk.after);
      }
      writeFileSync(target, text);
    }
  }
  return patches;
}
