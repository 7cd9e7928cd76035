/**
 * Pagination convention for list routes: `?page=1&pageSize=50` (pageSize ≤ 500),
 * replies `{total, page, pageSize, items}`. Spread PAGE_QUERY_PROPS into a
 * querystring schema, or reference the shared schema `PageQuery#`.
 */
export const MAX_PAGE_SIZE = 500;

export const PAGE_QUERY_PROPS = {
  page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, description: '页码，从 1 开始' },
  pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50, description: '每页条数 (≤ 500)' },
} as const;

export const PAGE_QUERY_SCHEMA = { $id: 'PageQuery', type: 'object', properties: PAGE_QUERY_PROPS } as const;

/** A page reply schema wrapping `item`. */
export function pageOf(item: object): object {
  return {
    type: 'object',
    properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, items: { type: 'array', items: item } },
    required: ['total', 'page', 'pageSize', 'items'],
  };
}

export function pageArgs(q: { page?: number; pageSize?: number }): { page: number; pageSize: number; offset: number } {
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(q.pageSize ?? 50)));
  return { page, pageSize, offset: (page - 1) * pageSize };
}
