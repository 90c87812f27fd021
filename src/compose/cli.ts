import { defaultComposeOptions, isSupergraphFresh } from './freshness';

/**
 * `npm run compose` (always composes) and `--if-stale` (used by `npm start`: composes only when
 * an input changed). Exits 1 with the failing source and reason.
 */
async function main(): Promise<void> {
  const options = defaultComposeOptions();
  if (process.argv.includes('--if-stale') && isSupergraphFresh(options)) return;
  // Loaded only when composing: the Mesh toolchain takes seconds to import.
  const { composeSupergraph } = await import('./compose');
  await composeSupergraph(options);
  process.stderr.write(`loopgate: composed ${options.outputPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`loopgate: composition failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
