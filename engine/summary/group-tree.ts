import { createHash } from 'node:crypto';
import type { SummaryCheck, SummaryGroup } from './summary-types.ts';

const SEPARATOR = '::';

export interface CheckTally {
  groupPath: string;
  name: string;
  passes: number;
  fails: number;
}

/** k6's group and check ids: the md5 of their path, in hex. */
export function pathId(path: string): string {
  return createHash('md5').update(path).digest('hex');
}

/**
 * handleSummary's `root_group`: the groups seen (in the order given, parents created as needed) with their checks.
 * Tallies of the same check in the same group are added together.
 */
export function buildRootGroup(groupPaths: readonly string[], checks: readonly CheckTally[]): SummaryGroup {
  const root = newGroup('', '');
  const byPath = new Map<string, SummaryGroup>([['', root]]);

  const groupAt = (path: string): SummaryGroup => {
    const known = byPath.get(path);
    if (known) return known;
    const cut = path.lastIndexOf(SEPARATOR);
    const parent = groupAt(cut > 0 ? path.slice(0, cut) : '');
    const group = newGroup(path.slice(cut + SEPARATOR.length), path);
    parent.groups.push(group);
    byPath.set(path, group);
    return group;
  };

  for (const path of groupPaths) groupAt(path);
  for (const tally of checks) {
    const group = groupAt(tally.groupPath);
    const path = tally.groupPath + SEPARATOR + tally.name;
    const known = group.checks.find((check) => check.path === path);
    if (known) {
      known.passes += tally.passes;
      known.fails += tally.fails;
    } else {
      group.checks.push({ name: tally.name, path, id: pathId(path), passes: tally.passes, fails: tally.fails } satisfies SummaryCheck);
    }
  }
  return root;
}

function newGroup(name: string, path: string): SummaryGroup {
  return { name, path, id: pathId(path), groups: [], checks: [] };
}

/** The group names along a path: `::a::b` gives [a, b]; the root `` gives []. */
export function groupNames(path: string): string[] {
  return path === '' ? [] : path.split(SEPARATOR).slice(1);
}
