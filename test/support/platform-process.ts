import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ENTRY = resolve(__dirname, '../../dist/apps/platform/src/main.js');
const READY_TIMEOUT_MS = 30_000;

/** One OS process of the platform, started from the build exactly as in production. */
export class PlatformProcess {
  private child?: ChildProcess;
  private readonly output: string[] = [];

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and, unless told otherwise, waits until it reports ready. */
  async start({ waitUntilReady = true } = {}): Promise<void> {
    const child = spawn(process.execPath, [ENTRY], {
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString().split('\n').filter(Boolean));
      this.output.splice(0, Math.max(0, this.output.length - 200));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    if (waitUntilReady) await this.waitUntilReady();
  }

  /** SIGTERM, as an orchestrator would; SIGKILL if it has not exited within 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** The last lines this process wrote, for failure messages. */
  logs(): string {
    return this.output.join('\n');
  }

  /** Polls `/health/ready` until it answers 200; fails if the process exits first. */
  async waitUntilReady(): Promise<void> {
    const child = this.child!;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`${this.name} exited with ${child.exitCode}:\n${this.logs()}`);
      }
      try {
        const response = await fetch(`${this.url}/health/ready`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`${this.name} was not ready within ${READY_TIMEOUT_MS} ms:\n${this.logs()}`);
  }
}
