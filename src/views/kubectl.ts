import { tabwrite, type TabwriterOptions } from './docker/tabwriter.ts';

/**
 * What `kubectl get pods` prints (kubectl v1.34): the server-side table printer's columns NAME,
 * READY, STATUS, RESTARTS and AGE, through cli-runtime's tabwriter (minwidth 6, padding 3), and
 * the age as apimachinery's duration.HumanDuration writes it.
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go
 */
export interface PodRow {
  name: string;
  ready: string;
  status: string;
  restarts: number;
  ageMs: number;
}

const KUBECTL_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };

/** duration.HumanDuration: 2 s of clock skew is "0s"; seconds below 2 minutes; then coarser. */
export function kubeDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

export function podsTable(rows: readonly PodRow[]): string {
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  return tabwrite(
    [header, ...rows.map((r) => [r.name, r.ready, r.status, String(r.restarts), kubeDuration(r.ageMs)])],
    KUBECTL_TABWRITER,
  );
}
