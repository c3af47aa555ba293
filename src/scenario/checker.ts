import type { Lang } from '../i18n/text.ts';
import { LANGS } from '../i18n/text.ts';
import type { Bilingual } from './types.ts';
import { positionOf, ScenarioError, type YamlSource } from './yamlSource.ts';

type Plain = Record<string, unknown>;

/**
 * Reads typed fields out of a parsed scenario file, collecting every mistake (with its file,
 * line, column and field) instead of stopping at the first: an author fixes them in one go.
 */
export class Checker {
  readonly errors: ScenarioError[] = [];

  constructor(readonly source: YamlSource) {}

  fail(path: string, reason: string, onKey = false): undefined {
    const at = (onKey && this.source.positions.get(`key:${path}`)) || positionOf(this.source, path);
    this.errors.push(new ScenarioError(this.source.file, at, path, reason));
    return undefined;
  }

  get(path: string): unknown {
    let value: unknown = this.source.value;
    for (const part of path.match(/[^.[\]]+/g) ?? []) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Plain)[part];
    }
    return value;
  }

  /** Say what was expected, and what was there instead (or that nothing was). */
  expected(path: string, what: string, value: unknown = this.get(path)): undefined {
    return this.fail(
      path,
      value === undefined ? `missing; expected ${what}` : `expected ${what}, got ${describe(value)}`,
    );
  }

  /**
   * An object with only the given fields; unknown ones are errors. A missing required field is
   * reported by the reader of that field, which knows what it expected.
   */
  object(path: string, fields: readonly string[]): Plain | undefined {
    const value = this.get(path);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return this.expected(path, `a mapping of ${fields.join(', ')}`, value);
    for (const key of Object.keys(value)) {
      if (!fields.includes(key))
        this.fail(join(path, key), `unknown field '${key}'; expected one of: ${fields.join(', ')}`, true);
    }
    return value as Plain;
  }

  list(path: string, { optional = false, nonEmpty = false } = {}): unknown[] {
    const value = this.get(path);
    if (value === undefined && optional) return [];
    if (!Array.isArray(value)) return this.expected(path, 'a list', value) ?? [];
    if (nonEmpty && value.length === 0) this.fail(path, 'expected at least one entry');
    return value;
  }

  string(
    path: string,
    { optional = false, pattern, hint }: { optional?: boolean; pattern?: RegExp; hint?: string } = {},
  ): string | undefined {
    const value = this.get(path);
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string' || value.trim() === '')
      return this.expected(path, hint ?? 'a non-empty string', value);
    if (pattern && !pattern.test(value))
      return this.fail(path, `expected ${hint ?? `text matching ${pattern}`}, got '${value}'`);
    return value;
  }

  integer(path: string, min: number, max: number, fallback?: number): number | undefined {
    const value = this.get(path);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      return this.expected(path, `a whole number from ${min} to ${max}`, value);
    return value;
  }

  oneOf<T extends string>(path: string, values: readonly T[], fallback?: T): T | undefined {
    const value = this.get(path);
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
      return this.expected(path, `one of ${values.join(', ')}`, value);
    return value as T;
  }

  boolean(path: string, fallback: boolean): boolean {
    const value = this.get(path);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean')
      return this.fail(path, `expected true or false, got ${describe(value)}`) ?? fallback;
    return value;
  }

  /** Text in every language the site speaks: `{ en: …, zh-CN: … }`, or those keys inline with `extra` fields. */
  bilingual(path: string, extra: readonly string[] = []): Bilingual | undefined {
    const value = this.object(path, [...LANGS, ...extra]);
    if (!value) return undefined;
    const out: Partial<Bilingual> = {};
    for (const lang of LANGS) out[lang as Lang] = this.string(join(path, lang), { hint: `the ${lang} text` });
    return LANGS.every((l) => out[l] !== undefined) ? (out as Bilingual) : undefined;
  }
}

export function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return `${typeof value} ${String(value)}`;
}
