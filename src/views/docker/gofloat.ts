/**
 * Go's `fmt` verb `%.Ng` for float64, which go-units uses for every size docker prints
 * (`HumanSizeWithPrecision` is `fmt.Sprintf("%.*g%s", precision, size, unit)`).
 *
 * JavaScript's `toPrecision` is not a substitute: it rounds exact ties away from zero and always
 * keeps trailing zeros, while Go rounds exact ties to even and trims zeros ("1e+03kB" for
 * 999,999 bytes, "1.12kB" for 1,125 bytes). So we take the exact decimal expansion of the
 * double, round it as Go's strconv does, and lay it out as strconv's formatDigits does.
 * https://github.com/golang/go/blob/go1.24.0/src/strconv/ftoa.go (formatDigits, fmtE, fmtF)
 * https://github.com/golang/go/blob/go1.24.0/src/strconv/decimal.go (shouldRoundUp)
 */

/** A decimal as Go's strconv keeps it: value = 0.d1d2d3… × 10^dp, no trailing zeros. */
interface Decimal {
  digits: string;
  dp: number;
}

/** The exact decimal value of a finite, non-negative double (every double is a finite decimal). */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = expBits === 0 ? fraction : fraction | (1n << 52n);
  const exp2 = (expBits === 0 ? 1 : expBits) - 1075;
  let digits: string;
  let dp: number;
  if (exp2 >= 0) {
    digits = (mantissa << BigInt(exp2)).toString();
    dp = digits.length;
  } else {
    // m / 2^k = m·5^k / 10^k: an integer of digits with the point k places from the right.
    digits = (mantissa * 5n ** BigInt(-exp2)).toString();
    dp = digits.length + exp2;
  }
  return trimZeros({ digits, dp });
}

function trimZeros(d: Decimal): Decimal {
  const digits = d.digits.replace(/0+$/, '');
  return digits === '' ? { digits: '', dp: 0 } : { digits, dp: d.dp };
}

/** Round to `nd` significant digits; an exact half rounds to even, as strconv does. */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  const exactHalf = next === 5 && nd + 1 === d.digits.length;
  const prevOdd = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  const up = exactHalf ? prevOdd : next >= 5;
  if (!up) return trimZeros({ digits: d.digits.slice(0, nd), dp: d.dp });
  const kept = d.digits.slice(0, nd).split('').map(Number);
  for (let i = nd - 1; i >= 0; i--) {
    const digit = kept[i] ?? 0;
    if (digit < 9) {
      kept[i] = digit + 1;
      return trimZeros({ digits: kept.slice(0, i + 1).join(''), dp: d.dp });
    }
  }
  // All nines: 999 → 1000.
  return { digits: '1', dp: d.dp + 1 };
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? (d.digits[i] ?? '0') : '0';
}

/** strconv's %e layout: d.ddde±XX, exponent at least two digits. */
function fmtE(d: Decimal, prec: number): string {
  let s = d.digits === '' ? '0' : digitAt(d, 0);
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(d, i);
  }
  const exp = d.digits === '' ? 0 : d.dp - 1;
  const abs = Math.abs(exp);
  return `${s}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

/** strconv's %f layout with `prec` digits after the point. */
function fmtF(d: Decimal, prec: number): string {
  let s = '';
  if (d.dp > 0) {
    for (let i = 0; i < d.dp; i++) s += digitAt(d, i);
  } else {
    s = '0';
  }
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(d, d.dp + i - 1);
  }
  return s;
}

/** Go's `fmt.Sprintf("%.*g", precision, x)` for finite x. */
export function goFormatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  let prec = precision === 0 ? 1 : precision;
  const d = roundDecimal(exactDecimal(Math.abs(x)), prec);
  let eprec = prec;
  if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
  const exp = d.dp - 1;
  let body: string;
  if (exp < -4 || exp >= eprec) {
    if (prec > d.digits.length) prec = d.digits.length;
    body = fmtE(d, prec - 1);
  } else {
    if (prec > d.dp) prec = d.digits.length;
    body = fmtF(d, Math.max(prec - d.dp, 0));
  }
  return (neg ? '-' : '') + body;
}
