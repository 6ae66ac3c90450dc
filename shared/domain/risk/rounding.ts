/**
 * Decimal rounding with Python's semantics, so that risk scores match the
 * original digit for digit.
 *
 * Python's `round(x, n)` and `format(x, '.nf')` round the *exact* binary value
 * of the double to `n` decimals, breaking exact ties to the even digit
 * (https://docs.python.org/3/library/functions.html#round). `Math.round` and
 * `Number#toFixed` break ties upwards, so e.g. `round(0.125, 2)` is `0.12` in
 * Python but `(0.125).toFixed(2)` is `'0.13'`.
 */

interface RoundedDecimal {
  readonly negative: boolean;
  /** The rounded magnitude scaled by `10 ** digits` (an integer). */
  readonly scaled: bigint | number;
}

const FLOAT_VIEW = new DataView(new ArrayBuffer(8));

/**
 * The exact value of a finite double as `digits / 10 ** scale`.
 * A double is `m * 2 ** e`; for `e < 0` that equals `m * 5 ** -e / 10 ** -e`.
 */
function exactDecimal(x: number): {
  negative: boolean;
  digits: bigint;
  scale: number;
} {
  FLOAT_VIEW.setFloat64(0, x);
  const high = FLOAT_VIEW.getUint32(0);
  const low = FLOAT_VIEW.getUint32(4);
  const negative = high >>> 31 === 1;
  const biasedExponent = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;
  if (exponent >= 0) {
    return { negative, digits: mantissa << BigInt(exponent), scale: 0 };
  }
  return {
    negative,
    digits: mantissa * 5n ** BigInt(-exponent),
    scale: -exponent,
  };
}

/**
 * Fast path: `|x| * 10^d` carries at most half an ulp of error, so when its
 * fraction is clearly away from one half the rounding direction is certain.
 * Near a tie (or for huge values) it gives up and the exact path decides.
 */
function roundFast(x: number, digits: number): RoundedDecimal | undefined {
  if (digits > 15) return undefined;
  const scaled = Math.abs(x) * 10 ** digits;
  if (!(scaled < 2 ** 50)) return undefined;
  const whole = Math.floor(scaled);
  const fraction = scaled - whole;
  if (Math.abs(fraction - 0.5) <= (scaled + 1) * 2 ** -50) return undefined;
  const negative = x < 0 || Object.is(x, -0);
  return { negative, scaled: fraction > 0.5 ? whole + 1 : whole };
}

function roundExact(x: number, digits: number): RoundedDecimal {
  if (!Number.isInteger(digits) || digits < 0) {
    throw new RangeError(`digits must be a non-negative integer: ${digits}`);
  }
  const fast = roundFast(x, digits);
  if (fast !== undefined) return fast;
  const exact = exactDecimal(x);
  if (exact.scale <= digits) {
    const scaled = exact.digits * 10n ** BigInt(digits - exact.scale);
    return { negative: exact.negative, scaled };
  }
  const divisor = 10n ** BigInt(exact.scale - digits);
  let scaled = exact.digits / divisor;
  const twiceRemainder = (exact.digits % divisor) * 2n;
  const isTie = twiceRemainder === divisor;
  if (twiceRemainder > divisor || (isTie && scaled % 2n === 1n)) {
    scaled += 1n;
  }
  return { negative: exact.negative, scaled };
}

function toFixedString(rounded: RoundedDecimal, digits: number): string {
  const sign = rounded.negative ? '-' : '';
  const text = rounded.scaled.toString().padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${text}`;
  const cut = text.length - digits;
  return `${sign}${text.slice(0, cut)}.${text.slice(cut)}`;
}

/**
 * Python's `round(x, digits)` for a float: the double nearest to the exact
 * value of `x` rounded half-to-even at `digits` decimals. Non-finite values
 * are returned unchanged; the sign of zero is kept (`round(-0.04, 1)` is
 * `-0.0`).
 *
 * @throws RangeError when `digits` is not a non-negative integer.
 * @example roundHalfEven(0.125, 2) // 0.12
 * @example roundHalfEven(2.675, 2) // 2.67 (the double is below 2.675)
 */
export function roundHalfEven(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const rounded = roundExact(x, digits);
  if (typeof rounded.scaled === 'number') {
    // Both operands are exact integers, so the quotient is the double
    // nearest to the decimal, which is what Python's round() returns.
    const magnitude = rounded.scaled / 10 ** digits;
    return rounded.negative ? -magnitude : magnitude;
  }
  return Number(toFixedString(rounded, digits));
}

/**
 * Python's `format(x, f'.{digits}f')`, e.g. the `{value:.0f}` used in the
 * original's diagnostic texts: `formatFixed(88.5, 0)` is `'88'`, where
 * `(88.5).toFixed(0)` would give `'89'`.
 *
 * @throws RangeError when `digits` is not a non-negative integer.
 */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return toFixedString(roundExact(x, digits), digits);
}
