// The docker CLI 28.2.2 captures and the stub daemon answers they were taken against, kept as
// data in test/fixtures/cli28/ (its README says how they were recorded).
import cli from '../../fixtures/cli28/cli.json';
import daemon from '../../fixtures/cli28/daemon.json';

/** The clock the stub daemon's `Created` ages were counted from. */
export const NOW_SEC = 1767258000;
export const FX1 = daemon.FX1;
export const FX2 = daemon.FX2;
/** Both pulls were served the same events and inspect answer. */
export const FX3 = { ...daemon.FX3, events: daemon.events, inspect: daemon.inspect };
export const FX4 = { ...daemon.FX4, events: daemon.events, inspect: daemon.inspect };
export const FX5 = daemon.FX5;
export const CLI = cli;
