// The json-file driver's options (`--log-opt`), checked as dockerd 20.10 checks them (moby
// daemon/logger/jsonfilelog/jsonfilelog.go New and ValidateLogOpt; sizes by go-units
// FromHumanSize: decimal units, "1k" is 1000 bytes, "1m" 1000000).

export interface JsonFileOptions {
  /** Bytes; -1 for no limit (the default). */
  maxSize: number;
  /** Files kept, the current one included; 1 by default. */
  maxFile: number;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };

/** go-units FromHumanSize: a number, an optional space, an optional decimal unit (k, m, g, t, p;
 * "ki" counts as "k" there too), an optional "b". */
export function fromHumanSize(text: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i.exec(text);
  const unit = UNITS[(m?.[2] ?? '').toLowerCase()];
  if (m === null || unit === undefined) throw new Error(`invalid size: '${text}'`);
  return Math.floor(parseFloat(m[1] ?? '') * unit);
}

const KNOWN = ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'];

/** The options of `--log-opt k=v` for json-file; refuses what dockerd refuses. */
export function jsonFileOptions(config: Readonly<Record<string, string>>): JsonFileOptions {
  for (const key of Object.keys(config))
    if (!KNOWN.includes(key)) throw new Error(`unknown log opt '${key}' for json-file log driver`);
  const size = config['max-size'];
  const maxSize = size === undefined ? -1 : fromHumanSize(size);
  if (size !== undefined && maxSize <= 0) throw new Error('max-size must be a positive number');
  const files = config['max-file'];
  const maxFile = files === undefined ? 1 : Number(files);
  if (!Number.isInteger(maxFile)) throw new Error(`strconv.Atoi: parsing "${files}": invalid syntax`);
  if (maxFile < 1) throw new Error('max-file cannot be less than 1');
  if (config['compress'] === 'true') throw new Error('compress is not supported by this engine');
  return { maxSize, maxFile };
}
