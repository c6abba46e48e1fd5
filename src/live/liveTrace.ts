/**
 * Where the time of one live inspection goes: the command marks its phases (document, frame,
 * progress, each DAP request out and back, first paint, panel) with `performance.now()`, and the
 * command's result carries the marks, so a caller in the same extension host (the live bench)
 * lays them beside what it saw of the panel. Nothing is recorded outside a command's own run.
 */
import type { DebugSessionLike } from './session';

export interface TraceMark {
  phase: string;
  /** `performance.now()` when it happened. */
  at: number;
}

export class LiveTrace {
  readonly marks: TraceMark[] = [];
  mark(phase: string): void {
    this.marks.push({ phase, at: performance.now() });
  }
}

/**
 * `session` with every request marked on the trace `sink()` names at the moment (none: nothing is
 * marked): the command name going out, and coming back with the size of an evaluate result.
 */
export function tracedSession(session: DebugSessionLike, sink: () => LiveTrace | undefined): DebugSessionLike {
  return {
    type: session.type,
    customRequest: async (command: string, args?: unknown) => {
      const trace = sink();
      if (!trace) return session.customRequest(command, args);
      const n = trace.marks.filter((m) => m.phase.startsWith('→')).length + 1;
      trace.mark(`→ ${command} #${n}`);
      try {
        const body = (await session.customRequest(command, args)) as { result?: unknown };
        const size = typeof body?.result === 'string' ? ` ${body.result.length} chars` : '';
        trace.mark(`← ${command} #${n}${size}`);
        return body;
      } catch (err) {
        trace.mark(`← ${command} #${n} failed`);
        throw err;
      }
    },
  };
}

/** The marks as "phase +ms" lines, relative to `t0` (the caller's start). */
export function formatTrace(marks: readonly TraceMark[], t0: number): string {
  return marks.map((m) => `${(m.at - t0).toFixed(0).padStart(6)} ms  ${m.phase}`).join('\n');
}
