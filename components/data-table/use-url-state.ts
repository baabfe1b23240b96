'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useOptimistic, useTransition } from 'react';

export type ParamUpdates = Record<string, string | number | null | undefined>;

export interface UrlState {
  /** The parameters as they will be once the pending navigation lands. */
  params: URLSearchParams;
  /**
   * Writes parameters into the URL (null or '' removes one). The server page
   * re-renders with them; until it does, `params` already shows the new values and
   * `isPending` is true. Any change except the page itself goes back to page 1.
   */
  setParams: (updates: ParamUpdates, options?: { keepPage?: boolean }) => void;
  /** The link for a set of changes, for <Link>s that should open in a new tab too. */
  hrefWith: (updates: ParamUpdates, options?: { keepPage?: boolean }) => string;
  isPending: boolean;
}

export function useUrlState(pageParam = 'page'): UrlState {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [isPending, startTransition] = useTransition();
  const [search, setOptimisticSearch] = useOptimistic(searchParams.toString());

  const nextSearch = useCallback(
    (updates: ParamUpdates, { keepPage = false } = {}) => {
      const next = new URLSearchParams(search);
      for (const [key, value] of Object.entries(updates)) {
        if (value === null || value === undefined || value === '') next.delete(key);
        else next.set(key, String(value));
      }
      if (!keepPage && !(pageParam in updates)) next.delete(pageParam);
      return next.toString();
    },
    [search, pageParam],
  );

  const hrefWith = useCallback<UrlState['hrefWith']>(
    (updates, options) => {
      const qs = nextSearch(updates, options);
      return qs ? `${pathname}?${qs}` : pathname;
    },
    [nextSearch, pathname],
  );

  const setParams = useCallback<UrlState['setParams']>(
    (updates, options) => {
      const qs = nextSearch(updates, options);
      startTransition(() => {
        setOptimisticSearch(qs);
        router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
      });
    },
    [nextSearch, pathname, router, setOptimisticSearch],
  );

  const params = useMemo(() => new URLSearchParams(search), [search]);
  return { params, setParams, hrefWith, isPending };
}
