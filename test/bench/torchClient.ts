/**
 * The PyTorch side of the bench: one `/usr/bin/python3 test/bench/torch_bench.py` child for the
 * whole run, spoken to line by line (protocol in that file), so torch rounds interleave with ours.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Round } from './timing';

export const pythonPath = '/usr/bin/python3';

export class TorchClient {
  private readonly waiting: Array<(line: string) => void> = [];
  private closed = false;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly version: string,
    readonly threads: number,
  ) {}

  /** Starts the child; resolves to a client, or to the reason the torch column is absent. */
  static async start(script: string): Promise<TorchClient | { absent: string }> {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(pythonPath, ['-u', script], {
        stdio: ['pipe', 'pipe', 'pipe'],
        // Belt and braces next to torch.set_num_threads(1): no OpenMP / MKL pools either.
        env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      });
    } catch (err) {
      return { absent: `cannot start ${pythonPath}: ${String(err)}` };
    }
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('absent timed out starting torch'), 120_000);
      child.once('error', (err) => {
        clearTimeout(timer);
        resolve(`absent ${pythonPath}: ${err.message}`);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(`absent python exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`);
      });
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
    if (!first.startsWith('ready ')) {
      child.kill();
      return { absent: first.replace(/^absent /, '') || 'no answer from python' };
    }
    const [, version, threads] = first.split(' ');
    const client = new TorchClient(child, version, Number(threads));
    lines.on('line', (line) => client.waiting.shift()?.(line));
    child.once('exit', () => {
      client.closed = true;
      for (const w of client.waiting.splice(0)) w('error python exited');
    });
    return client;
  }

  private ask(line: string): Promise<string> {
    if (this.closed) return Promise.reject(new Error('torch child has exited'));
    return new Promise((resolve, reject) => {
      this.waiting.push((answer) =>
        answer.startsWith('error') ? reject(new Error(`torch: ${answer}`)) : resolve(answer),
      );
      this.child.stdin.write(`${line}\n`);
    });
  }

  /** Loads raw float64 files written by the bench; returns torch's loss for the check column. */
  async load(key: string, n: number, c: number, dtype: string, inputFile: string, targetFile: string): Promise<number> {
    const answer = await this.ask(`load ${key} ${n} ${c} ${dtype} ${inputFile} ${targetFile}`);
    return Number(answer.split(' ')[1]);
  }

  async round(key: string, seconds: number): Promise<Round> {
    const [calls, el, cpu] = (await this.ask(`round ${key} ${seconds}`)).split(' ').map(Number);
    return { calls, seconds: el, cpuSeconds: cpu };
  }

  async drop(key: string): Promise<void> {
    await this.ask(`drop ${key}`);
  }

  /** The python child's pid (for the CPU meter). */
  get pid(): number | undefined {
    return this.closed ? undefined : this.child.pid;
  }

  close(): void {
    if (!this.closed) this.child.stdin.end('quit\n');
  }
}
