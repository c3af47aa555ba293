/**
 * What the docker CLI (28.x) prints, as pure functions of API objects and the current time.
 * Each module names the docker/cli, moby or go-units source it reproduces.
 */
export { humanDuration, humanSize, humanSize4, humanSizeWithPrecision, bytesSize } from './units.ts';
export { goFormatG } from './gofloat.ts';
export { tabwrite, tabwriteText, DOCKER_TABWRITER, type TabwriterOptions } from './tabwriter.ts';
export { ellipsis, truncateId, stringWidth } from './text.ts';
export {
  parseNormalizedNamed,
  familiarName,
  familiarString,
  fullString,
  tagNameOnly,
  type ImageReference,
} from './reference.ts';
export {
  formatPs,
  displayablePorts,
  psCommand,
  psImage,
  psNames,
  goQuote,
  type ContainerSummary,
  type PortSummary,
  type MountSummary,
  type PsOptions,
} from './ps.ts';
export {
  containerStatus,
  type ContainerStateInput,
  type ContainerStateName,
  type HealthStatusName,
} from './containerStatus.ts';
export { formatImages, type ImageSummary, type ImagesOptions } from './images.ts';
export { formatHistory, historyCreatedBy, type HistoryItem, type HistoryOptions } from './history.ts';
export {
  formatPullStream,
  renderPullStream,
  pullPreamble,
  pullEpilogue,
  formatPull,
  daemonErrorLine,
  type JsonMessage,
  type PullStreamResult,
  type CommandOutput,
} from './pull.ts';
export { formatEventLine, eventJson } from './events.ts';
export { formatInspect } from './inspect.ts';
export { goJson, goJsonIndent, goJsonString, type GoJsonOptions } from './gojson.ts';
export { formatGoTimeRfc3339, formatRfc3339NanoFixed, splitUnixNano } from './gotime.ts';
export { renderPlain, plainFailure, plainBytes, type PlainUpdate } from './buildkit.ts';
