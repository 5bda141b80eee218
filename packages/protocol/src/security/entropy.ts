/**
 * Shannon entropy, the "does this look random" measure behind the heuristic secret rules.
 * Per character, in bits: 0 for "aaaa", log2(n) when all n characters differ.
 */
export function shannonEntropy(text: string): number {
  const chars = [...text];
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of chars) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / chars.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
