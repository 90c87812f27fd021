/**
 * Child-process entry: serves the demo Petstore (REST) and reviews (GraphQL) backends on
 * loopback, prints their URLs as one JSON line, and exits when its parent closes stdin or
 * sends SIGTERM. The backends live apart from the gateways so their CPU time is not counted
 * on the gateway's event loop, as in a real deployment.
 */
import { startPetstoreBackend } from '../../mesh/backends/petstore-server';
import { startReviewsBackend } from '../../mesh/backends/reviews-server';

const petstore = await startPetstoreBackend();
const reviews = await startReviewsBackend();

// The backends log every request for tests; under load that log would grow without bound.
const trim = setInterval(() => {
  petstore.requests.length = 0;
  reviews.requests.length = 0;
}, 500);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(trim);
  await Promise.allSettled([petstore.close(), reviews.close()]);
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();

process.stdout.write(`${JSON.stringify({ petstore: petstore.url, reviews: reviews.url })}\n`);
