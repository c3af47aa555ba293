// Container stdio and logs on dockerd's side, without dockerd: the FIFOs handed to the shim, the
// json-file log driver (copier, writer with rotation, reader with tail, since, until and follow)
// and the Engine API's framing of logs and attach. README.md beside this file says how they fit.
export { openFifoSet, openStdio, type ContainerStdio, type StdioOptions } from './stdio.ts';
export { copyToLog } from './copyToLog.ts';
export { copyStream, LineSplitter, COPIER_BUFFER_SIZE, type LogSink } from './copier.ts';
export { JsonFileLogger } from './jsonFileLogger.ts';
export { jsonFileOptions, fromHumanSize, type JsonFileOptions } from './options.ts';
export { encodeJsonLogLine, decodeJsonLogLine } from './jsonLine.ts';
export { readLogs, type ReadConfig, type LogSource } from './readLogs.ts';
export { logBody, logBodyChunk, type LogBodyOptions } from './logBody.ts';
export { parseLogsRequest, type LogsRequest } from './logsRequest.ts';
export {
  stdcopyFrame,
  attachChunk,
  StdcopyDecoder,
  STDIN,
  STDOUT,
  STDERR,
  SYSTEM_ERROR,
  type Frame,
  type StreamId,
} from './stdcopy.ts';
export {
  nowNs,
  formatRfc3339Nano,
  formatRfc3339NanoFixed,
  parseRfc3339Nano,
  parseApiTimestamp,
} from './time.ts';
export type { LogMessage, StoredMessage, StreamName } from './message.ts';
