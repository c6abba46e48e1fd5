/**
 * How much of the machine other processes took during a measurement: the bench shares 2 cores
 * with whatever else runs, and a competing process halves a figure without any other sign.
 * Linux only (/proc); elsewhere the meter reports null.
 *
 * others = (all cores' busy time − this process's CPU time − the torch child's) / (cores · wall).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc's counters (USER_HZ; 100 on every mainstream Linux). */
const userHz = 100;

interface Snapshot {
  busy: number;
  self: number;
  child: number;
  wall: number;
}

function procBusySeconds(): number | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return (total - f[3] - (f[4] ?? 0)) / userHz;
  } catch {
    return null;
  }
}

function pidCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields after the command name (which may contain spaces) start at field 3; utime, stime are 14, 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / userHz;
  } catch {
    return 0;
  }
}

export class CpuMeter {
  private start: Snapshot | null;

  constructor(private readonly childPid: () => number | undefined) {
    this.start = this.snapshot();
  }

  private snapshot(): Snapshot | null {
    const busy = procBusySeconds();
    if (busy === null) return null;
    const u = process.cpuUsage();
    return {
      busy,
      self: (u.user + u.system) / 1e6,
      child: pidCpuSeconds(this.childPid()),
      wall: performance.now() / 1000,
    };
  }

  /** Share of all cores other processes used since the last call (or construction), 0..1. */
  lap(): number | null {
    const now = this.snapshot();
    const was = this.start;
    this.start = now;
    if (!now || !was || now.wall - was.wall < 0.05) return null;
    const others = now.busy - was.busy - (now.self - was.self) - (now.child - was.child);
    return Math.min(1, Math.max(0, others / (cpus().length * (now.wall - was.wall))));
  }
}
