import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BackendsProcess {
  /** Petstore REST base URL (ends in /v2). */
  petstoreUrl: string;
  /** Reviews GraphQL endpoint (ends in /graphql). */
  reviewsUrl: string;
  pid: number;
  stop(): Promise<void>;
}

const childEntry = fileURLToPath(new URL('./backends-child.ts', import.meta.url));
// `--import tsx` is resolved from the child's working directory: the repository root has it.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Starts one Petstore and one reviews backend in a child Node process (through tsx), shared by
 * every scenario, and waits for their URLs. The child also exits if this process dies, because
 * its stdin closes.
 */
export function startBackendsProcess(timeoutMs = 30_000): Promise<BackendsProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', childEntry], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise<BackendsProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the backends child did not report its URLs within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the backends child exited early with code ${code}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        const urls = JSON.parse(line) as { petstore: string; reviews: string };
        resolve({ petstoreUrl: urls.petstore, reviewsUrl: urls.reviews, pid: child.pid!, stop });
      } catch {
        void stop();
        reject(new Error(`the backends child printed something else than its URLs: ${line.slice(0, 200)}`));
      }
    });
  });
}
