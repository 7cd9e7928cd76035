/** Tolerant accessors for a review-queue item from GET /api/reviews. */
export type ReviewItem = Record<string, unknown> & { agreements?: unknown };

export function reviewList(d: unknown): ReviewItem[] {
  if (Array.isArray(d)) return d as ReviewItem[];
  const o = d as { items?: ReviewItem[]; reviews?: ReviewItem[] } | undefined;
  return o?.items ?? o?.reviews ?? [];
}
export function reviewId(r: ReviewItem): string {
  return String(r.reviewId ?? r.review_id ?? r.id ?? '');
}
export function reviewScore(r: ReviewItem): number | undefined {
  const s = r.score ?? r.probability;
  return typeof s === 'number' ? s : undefined;
}
/** The PRM or LIP record of the candidate pair, as a flat object. */
export function reviewSide(r: ReviewItem, side: 'prm' | 'lip'): Record<string, unknown> {
  const v = r[side] ?? r[`${side}_record`] ?? r[`${side}Record`];
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}
