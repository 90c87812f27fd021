import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoopgateConfig } from '../../../src/config';

/** Writes `config` as a .ts module (what LOOPGATE_CONFIG points at) in a fresh temp folder. */
export function writeConfigFile(config: LoopgateConfig): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'loopgate-config-'));
  const path = join(dir, 'gateway.config.ts');
  writeFileSync(path, `// written by a resilience test\nexport default ${JSON.stringify(config, null, 2)};\n`);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
