import { composeSupergraph, defaultComposeOptions, isSupergraphFresh } from './compose';

/**
 * `npm run compose` (always composes) and `--if-stale` (used by `npm start`: composes only when
 * an input changed). Exits 1 with the failing source and reason.
 */
async function main(): Promise<void> {
  const options = defaultComposeOptions();
  if (process.argv.includes('--if-stale') && isSupergraphFresh(options)) return;
  await composeSupergraph(options);
  process.stderr.write(`loopgate: composed ${options.outputPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`loopgate: composition failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
