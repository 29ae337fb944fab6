const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Length as a person counts it: one emoji or one kanji is one character. */
export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}
