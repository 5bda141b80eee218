/**
 * Ordering of pre-release identifiers and build metadata, following the semver crate's
 * `Ord` impls (which extend SemVer 2.0: the spec leaves build metadata unordered, the crate
 * orders it so that `Version` has a total order consistent with equality).
 */

const ALL_DIGITS = /^[0-9]+$/;

function sign(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares two dot-separated identifier lists. Numeric identifiers come before
 * alphanumeric ones; alphanumeric ones compare in ASCII order; a longer list wins when the
 * shorter one is a prefix of it.
 */
function compareIdentifierLists(lhs: string, rhs: string, numeric: (a: string, b: string) => number): number {
  const left = lhs.split(".");
  const right = rhs.split(".");
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) {
    const a = left[i]!;
    const b = right[i]!;
    const aNumeric = ALL_DIGITS.test(a);
    const bNumeric = ALL_DIGITS.test(b);
    let ordering: number;
    if (aNumeric && bNumeric) ordering = numeric(a, b);
    else if (aNumeric) return -1;
    else if (bNumeric) return 1;
    else ordering = sign(a, b);
    if (ordering !== 0) return ordering;
  }
  return sign(left.length, right.length);
}

/**
 * Pre-release precedence: no pre-release is greater than any pre-release. Numeric
 * identifiers never have leading zeros (the parser rejects them), so comparing length and
 * then digits is comparing values, with no precision limit.
 */
export function comparePrerelease(lhs: string, rhs: string): number {
  if (lhs === rhs) return 0;
  if (lhs === "") return 1;
  if (rhs === "") return -1;
  return compareIdentifierLists(lhs, rhs, (a, b) => sign(a.length, b.length) || sign(a, b));
}

/**
 * Build metadata order, the crate's tiebreak: numeric identifiers may have leading zeros
 * here, so they compare by value and then by length (0 < 00 < 1 < 01 < 001 < 2 < 10).
 * Empty metadata sorts before any metadata.
 */
export function compareBuildMetadata(lhs: string, rhs: string): number {
  if (lhs === rhs) return 0;
  if (lhs === "") return -1;
  if (rhs === "") return 1;
  return compareIdentifierLists(lhs, rhs, (a, b) => {
    const av = a.replace(/^0+/, "");
    const bv = b.replace(/^0+/, "");
    return sign(av.length, bv.length) || sign(av, bv) || sign(a.length, b.length);
  });
}
