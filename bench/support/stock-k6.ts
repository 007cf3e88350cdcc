// k6 from build/k6 without build/k6/patches, i.e. with k6 v2.2.0's first-frame race (issue 14), so a bench can put the
// k6 `npm run setup` ships beside the one it fixes. Built once into .tools/k6-stock/k6 (seconds when Go's build cache
// holds the shipped build), again only when build/k6 changes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildGoBinary, isCurrentBuild, type GoBinary } from '../../build/go-build.ts';
import { toolsDir } from '../../build/paths.ts';
import { k6Binary } from '../../build/provision-k6.ts';

// Named k6: `k6 version` prints its own file name, and the version check reads "k6 v…".
const stockK6: GoBinary = { ...k6Binary, label: 'k6 (stock, no patches)', patchDir: undefined, output: join(toolsDir, 'k6-stock', 'k6') };

export async function ensureStockK6(): Promise<string> {
  if (!existsSync(stockK6.output) || !isCurrentBuild(stockK6)) await buildGoBinary(stockK6, { log: (line) => console.log(line) });
  return stockK6.output;
}
