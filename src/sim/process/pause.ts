import type { Ctx, Program, ProgramRun } from './driver.ts';
import { SIGCHLD, SIGINT, SIGTERM } from './signals.ts';

/**
 * The pause container's program, Kubernetes' build/pause/linux/pause.c: it holds the pod's
 * namespaces open and does nothing else. It catches SIGINT and SIGTERM (psignal, then exit 0),
 * reaps any child on SIGCHLD, and otherwise sleeps in pause(2) forever; `-v` prints its version.
 * As PID 1 of its PID namespace it has those handlers, so a SIGTERM does end it; containerd
 * stops a pod sandbox with SIGKILL anyway (podsandbox/sandbox_stop.go).
 * https://github.com/kubernetes/kubernetes/blob/master/build/pause/linux/pause.c
 */
export const PAUSE_VERSION = '3.10.1';

/** psignal(3) prints strsignal's text after the caller's prefix. */
const SIGNAL_TEXT: Record<number, string> = { [SIGINT]: 'Interrupt', [SIGTERM]: 'Terminated' };

export function pauseProgram(argv: readonly string[]): Program {
  return {
    comm: 'pause',
    modeled: true,
    *run(ctx: Ctx): ProgramRun {
      if (argv.slice(1).some((a) => a.toLowerCase() === '-v')) {
        ctx.write('stdout', `pause.c ${PAUSE_VERSION}\n`);
        return 0;
      }
      if (!ctx.env.isPid1) ctx.write('stderr', 'Warning: pause should be the first process\n');
      let down: number | undefined;
      ctx.setHandler(SIGINT, (sig) => (down = sig));
      ctx.setHandler(SIGTERM, (sig) => (down = sig));
      // sigreap: waitpid(-1, NULL, WNOHANG) until nothing is left; there are no children here.
      ctx.setHandler(SIGCHLD, () => undefined);
      for (;;) {
        yield { kind: 'pause', interruptible: true };
        if (down !== undefined) {
          ctx.write('stderr', `Shutting down, got signal: ${SIGNAL_TEXT[down] ?? 'Unknown signal'}\n`);
          return 0;
        }
      }
    },
  };
}
