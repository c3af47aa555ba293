import type { Lang } from '../i18n/text.ts';
import type { Participant } from '../model/participants.ts';
import type { Platform } from '../model/platform.ts';
import type { Profile } from '../model/trace.ts';
import type { Fault } from '../model/faults.ts';

/**
 * A lesson, as a scenario file describes it (scenarios/*.yaml; the format is in
 * scenarios/README.md). Everything here is data: the simulation runs the steps, and every
 * message, output line and goal check comes from that run, never from the file.
 *
 * Glossary:
 * - *world*: what is on the host before the lesson starts (images pulled, containers running,
 *   files such as a build context); images and containers are built by setup lines run off the
 *   record (SimulationOptions.setup), files are given to the simulation (SimulationOptions.files).
 * - *step*: one docker command line the learner runs, in order.
 * - *anchor*: a message of the run, picked by its call (and sender or receiver), that a note or
 *   a question is tied to.
 * - *goal*: a predicate on the state after the last step; `--check` passes when it holds.
 * - *challenge*: a lesson that gives the learner a task instead of (or after) its steps ("make
 *   this step fail"): the learner types the commands, and the goal is checked on that run.
 */
export type Bilingual = Record<Lang, string>;

export interface Scenario {
  id: string;
  /** The file it was read from (for errors and the picker). */
  file: string;
  level: number;
  title: Bilingual;
  summary: Bilingual;
  profile: Profile;
  /** `linux` (default) or `desktop`: Docker Desktop, the CLI on a Mac and dockerd in a VM. */
  platform: Platform;
  seed: number;
  world: World;
  /** Faults at the boundaries (model/faults.ts), in force from the first step. */
  faults: Fault[];
  steps: Step[];
  /** The task a challenge lesson sets; its steps may then be none (the learner types them). */
  challenge?: Bilingual;
  /**
   * A challenge's answer, as command lines: a headless run (`dockstep scenario --check`, the
   * lesson tests) runs them after the steps, as Learn Git Branching runs each level's solution.
   */
  solution?: string[];
  notes: Note[];
  questions: Question[];
  hints: Bilingual[];
  goal: Goal[];
}

export interface World {
  images: string[];
  containers: WorldContainer[];
  /** /etc/docker/daemon.json: `live-restore` (off by default, as in Docker). */
  daemon: { liveRestore: boolean };
  /** Files on the host, absolute path → text (what `docker build` reads its context from). */
  files: Record<string, string>;
  /** The shell's working directory, which relative paths (`docker build .`) start from. */
  cwd?: string;
}

export interface WorldContainer {
  name: string;
  image: string;
  /** Extra `docker run` flags, as typed (`-m 64m -p 8080:80`). */
  flags: string;
  /** The command and arguments after the image, as typed. */
  command: string;
}

export interface Step {
  run: string;
  /** Said before the command is typed. */
  intro?: Bilingual;
}

/** A message of the run: the first one at or after step `step` whose call starts with `call`. */
export interface Anchor {
  call: string;
  from?: Participant;
  to?: Participant;
  /** Index of the lesson step (0-based) whose messages are searched; default: all. */
  step?: number;
}

export interface Note {
  at: Anchor;
  text: Bilingual;
}

/**
 * "Predict, then reveal": asked just before the anchor's message is shown. `next-receiver` and
 * `next-sender` ask which layer receives or sends it (the answer is the run's own); `choice`
 * has a written answer.
 */
export type QuestionKind = 'next-receiver' | 'next-sender' | 'choice';

export interface Question {
  at: Anchor;
  kind: QuestionKind;
  ask: Bilingual;
  choices: string[];
  answer?: string;
  explain: Bilingual;
}

export type Goal =
  | { container: { name: string; status?: string; exitCode?: number; present?: boolean } }
  | { image: { ref: string; present: boolean } }
  | { exit: { step: number; code: number } }
  | { output: { step: number; contains: string } }
  | { fails: FailsGoal };

/**
 * A request of the run that failed: its call starts with `call` (sent by `from`, to `to`), and
 * the reply that answers it says it failed (with `status`, when given: `404`, `409`, …).
 */
export interface FailsGoal {
  call: string;
  from?: Participant;
  to?: Participant;
  status?: string;
}
